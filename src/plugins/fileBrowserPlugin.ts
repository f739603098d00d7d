/**
 * Datasets in the file browser: icons for `*.zarr`, `*.ome.zarr`, `*.n5` folders and NIfTI
 * files, and "Open in Neuroglancer" (`neuroglancer:open-path`) on folders, NIfTI and state
 * files. A dataset is inspected by the server and opens in a viewer it hosts: no kernel needed.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  Notification,
  showErrorMessage
} from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { Contents } from '@jupyterlab/services';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { inspectDataset } from '../datasetApi';
import { displayName, OpenKind, openKind } from '../datasetPaths';
import {
  neuroglancerDatasetIcon,
  neuroglancerIcon,
  neuroglancerVolumeFileIcon
} from '../icons';
import { createHostedViewer } from '../serverApi';
import { CommandIDs } from '../tokens';
import { STATE_FACTORY, STATE_FILE_TYPE } from '../widgets/stateDocument';

const CATEGORY = 'Neuroglancer';

/** The file types of datasets; their names are the rows' `data-file-type`. */
export namespace DatasetFileTypes {
  export const zarr = 'neuroglancer-zarr';
  export const omeZarr = 'neuroglancer-ome-zarr';
  export const n5 = 'neuroglancer-n5';
  export const nifti = 'neuroglancer-nifti';
}

/** Where "Open in Neuroglancer" shows in the file browser's context menu. */
const CONTEXT_MENU_SELECTORS = [
  // Every folder: zarr, OME-Zarr and N5 folders, and precomputed ones (which have no suffix);
  // the server says so when a folder is not a dataset.
  '.jp-DirListing-item[data-isdir="true"]',
  `.jp-DirListing-item[data-file-type="${DatasetFileTypes.nifti}"]`,
  `.jp-DirListing-item[data-file-type="${STATE_FILE_TYPE}"]`
];

export const fileBrowserPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab_neuroglancer:file-browser',
  description:
    'Open datasets (zarr, OME-Zarr, N5, precomputed, NIfTI) and state files from the file browser in Neuroglancer.',
  autoStart: true,
  // The default file browser gives the selected item; without it the command asks for a path.
  optional: [IDefaultFileBrowser, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    fileBrowser: IDefaultFileBrowser | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_neuroglancer'
    );
    const { commands, docRegistry } = app;

    for (const [name, label, extension] of [
      [DatasetFileTypes.zarr, trans.__('Zarr Dataset'), '.zarr'],
      [DatasetFileTypes.omeZarr, trans.__('OME-Zarr Image'), '.ome.zarr'],
      [DatasetFileTypes.n5, trans.__('N5 Dataset'), '.n5']
    ]) {
      docRegistry.addFileType({
        name,
        displayName: label,
        extensions: [extension],
        contentType: 'directory',
        icon: neuroglancerDatasetIcon
      });
    }
    docRegistry.addFileType({
      name: DatasetFileTypes.nifti,
      displayName: trans.__('NIfTI Volume'),
      extensions: ['.nii', '.nii.gz'],
      mimeTypes: ['application/x-nifti'],
      contentType: 'file',
      fileFormat: 'base64',
      icon: neuroglancerVolumeFileIcon
    });

    /** Show a dataset in a viewer hosted by the server, or say in a dialog why not. */
    const openDataset = async (path: string): Promise<unknown> => {
      const name = displayName(path);
      const progress = Notification.emit(
        trans.__('Opening %1 in Neuroglancer…', name),
        'in-progress',
        { autoClose: false }
      );
      try {
        const info = await inspectDataset(path);
        const record = await createHostedViewer({
          state: info.state,
          name: info.name
        });
        return await commands.execute(CommandIDs.openViewer, {
          id: record.id
        });
      } catch (error) {
        await showErrorMessage(
          trans.__('Cannot open %1 in Neuroglancer', name),
          error instanceof Error ? error.message : String(error)
        );
        return null;
      } finally {
        Notification.dismiss(progress);
      }
    };

    const open = (path: string, kind: OpenKind): Promise<unknown> =>
      kind === 'state'
        ? commands.execute('docmanager:open', { path, factory: STATE_FACTORY })
        : openDataset(path);

    /** The items selected in the file browser (right-clicking a row selects it). */
    const selection = (): Contents.IModel[] =>
      fileBrowser ? Array.from(fileBrowser.selectedItems()) : [];

    const askPath = async (): Promise<string | null> => {
      const folder = fileBrowser?.model.path ?? '';
      const answer = await InputDialog.getText({
        title: trans.__('Open in Neuroglancer'),
        label: trans.__(
          'A state file or a dataset (zarr, OME-Zarr, N5, precomputed folder, NIfTI file), relative to the root folder'
        ),
        text: folder ? folder + '/' : '',
        okLabel: trans.__('Open')
      });
      return answer.button.accept && answer.value ? answer.value.trim() : null;
    };

    commands.addCommand(CommandIDs.openPath, {
      label: args =>
        args.isPalette
          ? trans.__('Open File or Dataset in Neuroglancer…')
          : trans.__('Open in Neuroglancer'),
      caption: trans.__(
        'Open a state file or a dataset (zarr, OME-Zarr, N5, precomputed, NIfTI) in Neuroglancer, without a kernel'
      ),
      icon: args => (args.isPalette ? undefined : neuroglancerIcon),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            path: {
              type: 'string',
              description: trans.__(
                'A state file or a dataset, relative to the server root; without it, the file browser selection'
              )
            }
          }
        }
      },
      execute: async args => {
        if (typeof args.path === 'string') {
          return open(args.path, openKind(args.path));
        }
        const items = selection();
        if (items.length > 0) {
          const opened = [];
          for (const item of items) {
            opened.push(
              await open(
                item.path,
                item.type === 'directory' ? 'dataset' : openKind(item.path)
              )
            );
          }
          return opened.length === 1 ? opened[0] : opened;
        }
        const path = await askPath();
        return path === null ? null : open(path, openKind(path));
      }
    });

    for (const selector of CONTEXT_MENU_SELECTORS) {
      app.contextMenu.addItem({
        command: CommandIDs.openPath,
        selector,
        rank: 3
      });
    }
    palette?.addItem({
      command: CommandIDs.openPath,
      category: CATEGORY,
      args: { isPalette: true }
    });
  }
};
