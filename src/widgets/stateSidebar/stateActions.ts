/**
 * What the sidebar's "Save state as…" and "Insert as code" do with the followed viewer's state.
 */
import {
  Dialog,
  InputDialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { FileBrowser } from '@jupyterlab/filebrowser';
import {
  INotebookTracker,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import { Contents } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { localOnlySources } from '../../models/shareLink';
import {
  STATE_FILE_SUFFIX,
  stateAsPythonCode,
  stateFileContent,
  stateFileName,
  suggestedStateFileName
} from '../../models/stateExport';
import { NeuroglancerState } from '../../neuroglancerState';
import { StateSidebarModel } from './sidebarModel';

/**
 * The services the actions use.
 */
export interface IStateActionsOptions {
  model: StateSidebarModel;
  trans: TranslationBundle;
  commands: CommandRegistry;
  contents: Contents.IManager;
  /** The file browser whose folder files are saved in; the root folder without one. */
  fileBrowser: FileBrowser | null;
  notebooks: INotebookTracker | null;
  /** Bring a widget to the front (the notebook that got the cell). */
  activate: (id: string) => void;
}

/**
 * Ask for a file name (in the file browser's folder) and save the followed viewer's state there.
 */
export async function saveStateAs(
  options: IStateActionsOptions
): Promise<void> {
  const { model, trans, contents, fileBrowser } = options;
  const state = model.state;
  const panel = model.panel;
  if (!state || !panel) {
    return;
  }
  await saveStateFile({
    state,
    viewerName: panel.record.name,
    trans,
    contents,
    fileBrowser
  });
}

/**
 * What `saveStateFile` needs: the state, whose viewer it is, and where files go.
 */
export interface ISaveStateFileOptions {
  state: NeuroglancerState;
  /** The viewer's name: the suggested file name, and the confirmation. */
  viewerName: string;
  trans: TranslationBundle;
  contents: Contents.IManager;
  /** The file browser whose folder files are saved in; the root folder without one. */
  fileBrowser: FileBrowser | null;
}

/**
 * Ask for a file name (in the file browser's folder) and save `state` there as JSON; used by
 * the sidebar and by the panels' "Save state as…" button.
 */
export async function saveStateFile(
  options: ISaveStateFileOptions
): Promise<void> {
  const { state, viewerName, trans, contents, fileBrowser } = options;
  const folder = fileBrowser?.model.path ?? '';
  let text = suggestedStateFileName(viewerName);
  for (;;) {
    const answer = await InputDialog.getText({
      title: trans.__('Save Neuroglancer State'),
      label: folder
        ? trans.__('File name, in the folder %1', folder)
        : trans.__('File name, in the root folder'),
      text,
      selectionRange: text.endsWith(STATE_FILE_SUFFIX)
        ? text.length - STATE_FILE_SUFFIX.length
        : text.length,
      okLabel: trans.__('Save')
    });
    if (!answer.button.accept || answer.value === null) {
      return;
    }
    text = answer.value;
    const name = stateFileName(text);
    if (!name.ok) {
      await showErrorMessage(
        trans.__('Not a file name'),
        name.reason === 'empty'
          ? trans.__(
              'Type a name for the file, such as %1.',
              suggestedStateFileName(viewerName)
            )
          : trans.__(
              'Type a name without folders: the file is saved in the folder shown in the file browser (%1).',
              folder || '/'
            )
      );
      continue;
    }
    const path = PathExt.join(folder, name.name);
    if (
      (await exists(contents, path)) &&
      !(await confirmOverwrite(path, trans))
    ) {
      continue;
    }
    try {
      await contents.save(path, {
        type: 'file',
        format: 'text',
        content: stateFileContent(state)
      });
    } catch (error) {
      await showErrorMessage(
        trans.__('The state could not be saved'),
        trans.__(
          'Saving %1 failed: %2',
          path,
          error instanceof Error ? error.message : String(error)
        )
      );
      return;
    }
    Notification.success(
      trans.__('Saved the state of "%1" as %2.', viewerName, path),
      {
        autoClose: 5000
      }
    );
    void fileBrowser?.model.refresh();
    return;
  }
}

/**
 * Put a cell that recreates the viewer from its state into the active notebook (a new notebook
 * when none is open), below its active cell.
 */
export async function insertStateAsCode(
  options: IStateActionsOptions
): Promise<void> {
  const { model, trans, commands, notebooks, fileBrowser, activate } = options;
  const state = model.state;
  const panel = model.panel;
  if (!state || !panel) {
    return;
  }
  const comments = [
    trans.__(
      'Recreates the Neuroglancer viewer "%1" from its state.',
      panel.record.name
    )
  ];
  const local = Array.from(
    new Set(
      localOnlySources(state, model.server).map(source => `"${source.layer}"`)
    )
  );
  if (local.length > 0) {
    comments.push(
      trans._n(
        "The layer %2 reads data that only the original viewer's server provides\n(python:// volumes, this Jupyter server, localhost): elsewhere it may not load.",
        "The layers %2 read data that only the original viewer's server provides\n(python:// volumes, this Jupyter server, localhost): elsewhere they may not load.",
        local.length,
        local.join(', ')
      )
    );
  }
  const code = stateAsPythonCode(state, { comments });

  let notebookPanel: NotebookPanel | null = notebooks?.currentWidget ?? null;
  if (!notebookPanel) {
    try {
      notebookPanel = (await commands.execute('notebook:create-new', {
        cwd: fileBrowser?.model.path ?? ''
      })) as NotebookPanel;
      await notebookPanel.context.ready;
    } catch (error) {
      await showErrorMessage(
        trans.__('No notebook to insert into'),
        trans.__(
          'Open a notebook, then try again (a new one could not be created: %1).',
          error instanceof Error ? error.message : String(error)
        )
      );
      return;
    }
  }
  const notebook = notebookPanel.content;
  const active = notebook.activeCell;
  const onlyEmptyCell =
    notebook.widgets.length === 1 &&
    active?.model.sharedModel.getSource().trim() === '';
  if (!onlyEmptyCell) {
    NotebookActions.insertBelow(notebook);
  }
  if (notebook.activeCell?.model.type !== 'code') {
    NotebookActions.changeCellType(notebook, 'code');
  }
  const cell = notebook.activeCell;
  if (!cell) {
    return;
  }
  cell.model.sharedModel.setSource(code);
  activate(notebookPanel.id);
  await notebook.scrollToCell(cell);
  Notification.info(
    trans.__(
      'Inserted a cell in %1 that recreates "%2". Run it to open the copy.',
      notebookPanel.title.label,
      panel.record.name
    ),
    { autoClose: 5000 }
  );
}

async function exists(
  contents: Contents.IManager,
  path: string
): Promise<boolean> {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch {
    return false;
  }
}

async function confirmOverwrite(
  path: string,
  trans: TranslationBundle
): Promise<boolean> {
  const answer = await showDialog({
    title: trans.__('Replace the file?'),
    body: trans.__('%1 already exists. Replace it with this state?', path),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Choose another name') }),
      Dialog.warnButton({ label: trans.__('Replace') })
    ]
  });
  return answer.button.accept;
}
