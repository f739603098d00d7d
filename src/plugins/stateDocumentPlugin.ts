/**
 * Neuroglancer state files as documents: the `neuroglancer-state` file type (`*.ng.json`) opens
 * in Neuroglancer by default, and any JSON file can through "Open With > Neuroglancer".
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { neuroglancerStateFileIcon } from '../icons';
import { STATE_FILE_SUFFIX } from '../models/stateExport';
import {
  STATE_FACTORY,
  STATE_FILE_TYPE,
  StateDocument,
  StateDocumentFactory
} from '../widgets/stateDocument';

export const stateDocumentPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab_neuroglancer:state-documents',
  description:
    'Open Neuroglancer state files (*.ng.json, any JSON through Open With) as documents.',
  autoStart: true,
  // The restorer brings open state documents back after a reload; both are optional.
  optional: [ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_neuroglancer'
    );

    app.docRegistry.addFileType({
      name: STATE_FILE_TYPE,
      displayName: trans.__('Neuroglancer State'),
      extensions: [STATE_FILE_SUFFIX],
      mimeTypes: ['application/json'],
      contentType: 'file',
      fileFormat: 'text',
      icon: neuroglancerStateFileIcon
    });

    const factory = new StateDocumentFactory({
      name: STATE_FACTORY,
      label: trans.__('Neuroglancer'),
      // Listed for every JSON file ("Open With"), the default for *.ng.json only.
      fileTypes: [STATE_FILE_TYPE, 'json'],
      defaultFor: [STATE_FILE_TYPE],
      modelName: 'text',
      trans,
      commands: app.commands
    });
    app.docRegistry.addWidgetFactory(factory);

    const tracker = new WidgetTracker<StateDocument>({
      namespace: 'neuroglancer-state-document'
    });
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      void tracker.add(widget);
    });
    if (restorer) {
      void restorer.restore(tracker, {
        command: 'docmanager:open',
        args: widget => ({
          path: widget.context.path,
          factory: STATE_FACTORY
        }),
        name: widget => widget.context.path
      });
    }
  }
};
