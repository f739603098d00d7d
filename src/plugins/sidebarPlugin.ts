/**
 * The state sidebar: a side panel that follows the Neuroglancer panel last focused and shows its
 * state live, and the commands that toggle it, save the state and insert it as code.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { addBelowIcon, saveIcon } from '@jupyterlab/ui-components';

import { DEFAULT_SHARE_HOST } from '../models/shareLink';
import { CommandIDs, INeuroglancerTracker } from '../tokens';
import { neuroglancerStateIcon } from '../widgets/stateSidebar/icon';
import { StateSidebarModel } from '../widgets/stateSidebar/sidebarModel';
import {
  insertStateAsCode,
  IStateActionsOptions,
  saveStateAs
} from '../widgets/stateSidebar/stateActions';
import { StateSidebar } from '../widgets/stateSidebar/stateSidebar';

const PLUGIN_ID = 'jupyterlab_neuroglancer:sidebar';
const CATEGORY = 'Neuroglancer';

export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'A side panel showing the state of the last focused Neuroglancer viewer, live.',
  autoStart: true,
  // The tracker says which panel was focused last; the editor services make the JSON editor.
  requires: [INeuroglancerTracker, IEditorServices],
  optional: [
    ILabShell,
    ILayoutRestorer,
    ICommandPalette,
    ISettingRegistry,
    INotebookTracker,
    IDefaultFileBrowser,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    panels: INeuroglancerTracker,
    editorServices: IEditorServices,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    notebooks: INotebookTracker | null,
    fileBrowser: IDefaultFileBrowser | null,
    translator: ITranslator | null
  ) => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_neuroglancer');
    const { commands } = app;

    const model = new StateSidebarModel({
      server: {
        origin: window.location.origin,
        baseUrl: new URL(PageConfig.getBaseUrl(), window.location.href).href
      }
    });
    const sidebar = new StateSidebar({
      model,
      trans,
      translator,
      commands,
      editorServices
    });
    app.shell.add(sidebar, 'right', { rank: 600, type: 'Neuroglancer State' });
    restorer?.add(sidebar, StateSidebar.ID);

    // Follow the panel focused last (the tracker keeps it while other tabs have the focus).
    model.follow(panels.currentWidget);
    panels.currentChanged.connect((_, panel) => model.follow(panel));

    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then(settings => {
        const read = () => {
          model.shareHost =
            (settings.get('shareHost').composite as string) ||
            DEFAULT_SHARE_HOST;
        };
        read();
        settings.changed.connect(read);
      });
    }

    const actionOptions: IStateActionsOptions = {
      model,
      trans,
      commands,
      contents: app.serviceManager.contents,
      fileBrowser,
      notebooks,
      activate: id => app.shell.activateById(id)
    };
    const hasState = () => model.state !== null;

    commands.addCommand(CommandIDs.toggleStateSidebar, {
      label: trans.__('Neuroglancer State Sidebar'),
      caption: trans.__(
        'Show or hide the live state of the last focused Neuroglancer viewer'
      ),
      icon: args => (args.toolbar ? neuroglancerStateIcon : undefined),
      isToggled: () => sidebar.isVisible,
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => {
        if (sidebar.isVisible) {
          labShell?.collapseRight();
        } else {
          app.shell.activateById(sidebar.id);
        }
      }
    });
    commands.addCommand(CommandIDs.saveStateAs, {
      label: args =>
        args.toolbar
          ? trans.__('Save as…')
          : trans.__('Save Neuroglancer State As…'),
      caption: trans.__(
        'Save the viewer state as a .ng.json file in the file browser folder'
      ),
      icon: saveIcon,
      isEnabled: hasState,
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => saveStateAs(actionOptions)
    });
    commands.addCommand(CommandIDs.insertStateAsCode, {
      label: args =>
        args.toolbar
          ? trans.__('Insert as code')
          : trans.__('Insert Neuroglancer State as Code'),
      caption: trans.__(
        'Add a cell to the active notebook that recreates this viewer with jupyterlab_neuroglancer.show(…)'
      ),
      icon: addBelowIcon,
      isEnabled: hasState,
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => insertStateAsCode(actionOptions)
    });

    // Buttons and the palette follow whether there is a state, and the sidebar's visibility.
    let hadState = hasState();
    model.changed.connect(() => {
      if (hadState !== hasState()) {
        hadState = hasState();
        commands.notifyCommandChanged(CommandIDs.saveStateAs);
        commands.notifyCommandChanged(CommandIDs.insertStateAsCode);
      }
    });
    labShell?.layoutModified.connect(() =>
      commands.notifyCommandChanged(CommandIDs.toggleStateSidebar)
    );

    for (const command of [
      CommandIDs.toggleStateSidebar,
      CommandIDs.saveStateAs,
      CommandIDs.insertStateAsCode
    ]) {
      palette?.addItem({ command, category: CATEGORY });
    }
  }
};
