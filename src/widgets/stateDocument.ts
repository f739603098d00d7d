/**
 * Neuroglancer state files as documents: the file's state shown in a viewer hosted by the
 * Jupyter server (no kernel), changes in the viewer written back to the document (dirty, saved
 * with Ctrl+S or the File menu), the document's text (revert, another view) shown in the viewer.
 * A file that is not a state shows why, and how to fix it, instead of a viewer.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import {
  ABCWidgetFactory,
  DocumentRegistry,
  DocumentWidget
} from '@jupyterlab/docregistry';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  IFrame,
  launchIcon,
  refreshIcon,
  saveIcon,
  ToolbarButton
} from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Panel, Widget } from '@lumino/widgets';

import { neuroglancerStateFileIcon } from '../icons';
import {
  ApplyResult,
  INeuroglancerViewer,
  IViewerSource,
  ViewerStateModel
} from '../models/viewerStateModel';
import { textEdit } from '../models/stateJson';
import { NeuroglancerState } from '../neuroglancerState';
import {
  createHostedViewer,
  deleteViewer,
  ServerApiError,
  viewerPageUrl
} from '../serverApi';
import { StateDocumentProblem, StateDocumentSync } from '../stateDocumentSync';
import { IViewerRecord } from '../tokens';
import { VIEWER_SANDBOX } from './neuroglancerPanel';

/** The name of the widget factory (shown in "Open With"). */
export const STATE_FACTORY = 'Neuroglancer';

/** The file type of `*.ng.json` files. */
export const STATE_FILE_TYPE = 'neuroglancer-state';

/** What in the viewer's page counts as the user acting on the view. */
const INPUT_EVENTS = ['pointerdown', 'wheel', 'keydown'] as const;

/**
 * The content of a state document: the viewer, or a message saying why there is none.
 */
export class StateDocumentView extends Panel {
  constructor(options: StateDocumentView.IOptions) {
    super();
    this.addClass('jp-NeuroglancerStateView');
    this._context = options.context;
    this._trans = options.trans;
    this._commands = options.commands;
    this._sync = new StateDocumentSync(text => this._writeDocument(text));

    this._banner.addClass('jp-NeuroglancerStateView-banner');
    this._banner.hide();
    this._message.addClass('jp-NeuroglancerStateView-message');
    this._message.hide();
    this.addWidget(this._banner);
    this.addWidget(this._message);

    void this._context.ready.then(() => {
      if (this.isDisposed) {
        return;
      }
      this._context.model.contentChanged.connect(this._onDocumentChanged, this);
      this._onDocumentChanged();
    });
  }

  /** The viewer shown, once the server hosts it. */
  get record(): IViewerRecord | null {
    return this._record;
  }

  /** The viewer page's window (same origin: its `viewer` is Neuroglancer's), once loaded. */
  get viewerWindow(): Window | null {
    return this._frame?.node.querySelector('iframe')?.contentWindow ?? null;
  }

  /** The live model of the viewer's state, once the page has loaded. */
  get viewerModel(): ViewerStateModel | null {
    return this._viewerModel;
  }

  /** Load the viewer page again (its state lives in the server: nothing is lost). */
  reload(): void {
    if (this._frame) {
      const url = this._frame.url;
      this._frame.url = '';
      this._frame.url = url;
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopInput?.();
    this._viewerModel?.dispose();
    const record = this._record;
    if (record) {
      // The server stops the viewer it hosted for this document.
      void deleteViewer(record.id).catch(() => undefined);
    }
    super.dispose();
  }

  /**
   * Put the viewer's state into the document as the editor would: the smallest edit (an editor
   * open on the same file keeps its scroll position), marking the document dirty.
   */
  private _writeDocument(text: string): void {
    const shared = this._context.model.sharedModel;
    const edit = textEdit(shared.getSource(), text);
    if (edit) {
      shared.updateSource(edit.start, edit.end, edit.insert);
    }
  }

  /** The document's text changed: on load, on revert, or edited in another view. */
  private _onDocumentChanged(): void {
    if (this.isDisposed) {
      return;
    }
    const action = this._sync.documentChanged(this._context.model.toString());
    switch (action.kind) {
      case 'none':
        return;
      case 'invalid':
        if (this._record || this._creating) {
          this._showBanner(
            this._trans.__(
              'The file is no longer a Neuroglancer state: %1 The viewer keeps the last valid state.',
              this._problemText(action.problem)
            )
          );
        } else {
          this._showMessage(
            this._trans.__('Not a Neuroglancer state'),
            this._problemText(action.problem)
          );
        }
        return;
      case 'apply':
        this._hideBanner();
        if (this._record || this._creating) {
          this._apply(action.state);
        } else {
          void this._createViewer(action.state);
        }
        return;
    }
  }

  /** Show `state` in the viewer now, or once its page has loaded. */
  private _apply(state: NeuroglancerState): void {
    const result = this._viewerModel?.applyState(state) ?? {
      ok: false,
      reason: 'no-viewer'
    };
    if (!result.ok && result.reason === 'no-viewer') {
      this._pendingState = state;
      return;
    }
    this._reportApply(result);
  }

  private _reportApply(result: ApplyResult): void {
    if (result.ok) {
      return;
    }
    const trans = this._trans;
    let detail: string;
    switch (result.reason) {
      case 'rejected':
        detail = result.detail;
        break;
      case 'layer-not-created':
        detail = trans.__('the layer "%1" could not be created.', result.layer);
        break;
      case 'unknown-layer-type':
        detail = trans.__(
          'the layer "%1" has a type Neuroglancer does not know ("%2").',
          result.layer,
          result.type
        );
        break;
      default:
        return;
    }
    this._showBanner(
      trans.__(
        'Neuroglancer did not take the state in the file, and shows the previous one: %1',
        detail
      )
    );
  }

  /** Ask the server for a viewer on `state`, and frame its page. */
  private async _createViewer(state: NeuroglancerState): Promise<void> {
    this._creating = true;
    this._hideMessage();
    let record: IViewerRecord;
    try {
      record = await createHostedViewer({
        state,
        name: viewerName(this._context.path)
      });
    } catch (error) {
      this._creating = false;
      if (!this.isDisposed) {
        // The next valid text tries again.
        this._sync.forget();
        this._showMessage(
          this._trans.__('The viewer could not be opened'),
          this._trans.__(
            'Neuroglancer could not open this state: %1',
            error instanceof ServerApiError || error instanceof Error
              ? error.message
              : String(error)
          )
        );
      }
      return;
    }
    this._creating = false;
    if (this.isDisposed) {
      void deleteViewer(record.id).catch(() => undefined);
      return;
    }
    this._record = record;
    const frame = new IFrame({
      sandbox: VIEWER_SANDBOX,
      referrerPolicy: 'same-origin'
    });
    frame.addClass('jp-NeuroglancerStateView-frame');
    this._frame = frame;
    this.addWidget(frame);
    const iframe = frame.node.querySelector('iframe')!;
    iframe.addEventListener('load', () => this._onFrameLoad(iframe));
    frame.url = viewerPageUrl(record);

    const model = new ViewerStateModel(frameViewerSource(iframe));
    this._viewerModel = model;
    model.stateChanged.connect(this._onViewerChanged, this);
  }

  /** The viewer page (re)loaded: follow the user's input in it, and forward Ctrl+S. */
  private _onFrameLoad(iframe: HTMLIFrameElement): void {
    this._stopInput?.();
    this._stopInput = null;
    this._sync.viewerReloaded();
    let win: Window | null = null;
    try {
      win = iframe.contentWindow;
      void win?.document;
    } catch {
      return;
    }
    if (!win) {
      return;
    }
    const onInput = (event: Event) => {
      // The iframe's own KeyboardEvent class: `instanceof` does not work across windows.
      const key = event.type === 'keydown' ? (event as KeyboardEvent) : null;
      if (
        key &&
        (key.ctrlKey || key.metaKey) &&
        !key.altKey &&
        key.key?.toLowerCase() === 's'
      ) {
        // Keys typed in the viewer never reach JupyterLab's shortcuts: save from here.
        event.preventDefault();
        event.stopPropagation();
        void this._save();
        return;
      }
      this._sync.userInput();
    };
    for (const type of INPUT_EVENTS) {
      win.addEventListener(type, onInput, true);
    }
    const target = win;
    this._stopInput = () => {
      for (const type of INPUT_EVENTS) {
        target.removeEventListener(type, onInput, true);
      }
    };
  }

  private _onViewerChanged(
    _: ViewerStateModel,
    state: NeuroglancerState | null
  ): void {
    if (!state) {
      return;
    }
    const pending = this._pendingState;
    if (pending) {
      this._pendingState = null;
      this._reportApply(this._viewerModel!.applyState(pending));
      return;
    }
    this._sync.viewerChanged(state);
  }

  private async _save(): Promise<void> {
    try {
      await this._context.save();
      await this._context.createCheckpoint();
    } catch {
      // The context has told the user (a conflict dialog, a save error).
    }
  }

  private _problemText(problem: StateDocumentProblem): string {
    const trans = this._trans;
    switch (problem.reason) {
      case 'empty':
        return trans.__(
          'This file is empty. Write a Neuroglancer state in it (a JSON object such as {"layers": []}) with the Editor, or save a viewer\'s state here with "Save state as…".'
        );
      case 'syntax':
        return trans.__(
          'This file is not valid JSON (%1). Fix it with the Editor: this view follows the fix.',
          problem.detail
        );
      case 'not-object':
        return trans.__(
          'This file holds %1, not a JSON object. A Neuroglancer state is an object such as {"layers": […], "position": […]}.',
          problem.found
        );
      case 'not-a-state':
        return trans.__(
          'This JSON object has none of the keys of a Neuroglancer state (layers, dimensions, position, layout…), only %1. Open a state saved from Neuroglancer, or open this file with the Editor.',
          problem.keys
            .slice(0, 5)
            .map(key => JSON.stringify(key))
            .join(', ') + (problem.keys.length > 5 ? ', …' : '')
        );
    }
  }

  private _showMessage(title: string, text: string): void {
    const node = this._message.node;
    node.replaceChildren();
    const icon = document.createElement('div');
    icon.className = 'jp-NeuroglancerStateView-messageIcon';
    neuroglancerStateFileIcon.element({ container: icon });
    const heading = document.createElement('h2');
    heading.textContent = title;
    const body = document.createElement('p');
    body.textContent = text;
    const file = document.createElement('p');
    file.className = 'jp-NeuroglancerStateView-path';
    file.textContent = this._context.path;
    const button = document.createElement('button');
    button.className = 'jp-mod-styled jp-mod-accept';
    button.textContent = this._trans.__('Open with the Editor');
    button.addEventListener('click', () => {
      void this._commands.execute('docmanager:open', {
        path: this._context.path,
        factory: 'Editor',
        options: { mode: 'split-right' }
      });
    });
    node.append(icon, heading, body, file, button);
    this._message.show();
  }

  private _hideMessage(): void {
    this._message.hide();
  }

  private _showBanner(text: string): void {
    this._banner.node.textContent = text;
    this._banner.show();
  }

  private _hideBanner(): void {
    this._banner.hide();
  }

  private _context: DocumentRegistry.IContext<DocumentRegistry.ICodeModel>;
  private _trans: TranslationBundle;
  private _commands: CommandRegistry;
  private _sync: StateDocumentSync;
  private _banner = new Widget();
  private _message = new Widget();
  private _frame: IFrame | null = null;
  private _record: IViewerRecord | null = null;
  private _creating = false;
  private _pendingState: NeuroglancerState | null = null;
  private _viewerModel: ViewerStateModel | null = null;
  private _stopInput: (() => void) | null = null;
}

export namespace StateDocumentView {
  export interface IOptions {
    context: DocumentRegistry.IContext<DocumentRegistry.ICodeModel>;
    trans: TranslationBundle;
    commands: CommandRegistry;
  }
}

/**
 * A state file open in Neuroglancer: a document widget with the viewer's toolbar.
 */
export class StateDocument extends DocumentWidget<
  StateDocumentView,
  DocumentRegistry.ICodeModel
> {
  constructor(options: StateDocument.IOptions) {
    super({ context: options.context, content: options.content });
    const { trans } = options;
    this.addClass('jp-NeuroglancerStateDocument');
    this.title.icon = neuroglancerStateFileIcon;
    this.toolbar.addItem(
      'save',
      new ToolbarButton({
        icon: saveIcon,
        tooltip: trans.__('Save the state to the file (Ctrl+S)'),
        onClick: () => {
          void this.context
            .save()
            .then(() => this.context.createCheckpoint())
            .catch(() => undefined);
        }
      })
    );
    this.toolbar.addItem(
      'reload',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: trans.__('Reload the viewer'),
        onClick: () => this.content.reload()
      })
    );
    this.toolbar.addItem(
      'open-tab',
      new ToolbarButton({
        icon: launchIcon,
        tooltip: trans.__('Open this viewer in a new browser tab'),
        onClick: () => {
          const record = this.content.record;
          if (record) {
            window.open(viewerPageUrl(record), '_blank', 'noopener');
          } else {
            void showDialog({
              title: trans.__('No viewer yet'),
              body: trans.__(
                'This file is not showing in a viewer yet: there is nothing to open in a tab.'
              ),
              buttons: [Dialog.okButton()]
            });
          }
        }
      })
    );
  }
}

export namespace StateDocument {
  export interface IOptions {
    context: DocumentRegistry.IContext<DocumentRegistry.ICodeModel>;
    content: StateDocumentView;
    trans: TranslationBundle;
  }
}

/**
 * The widget factory of state documents: default for `*.ng.json`, in "Open With" for any JSON.
 */
export class StateDocumentFactory extends ABCWidgetFactory<
  StateDocument,
  DocumentRegistry.ICodeModel
> {
  constructor(options: StateDocumentFactory.IOptions) {
    super(options);
    this._trans = options.trans;
    this._commands = options.commands;
  }

  protected createNewWidget(
    context: DocumentRegistry.IContext<DocumentRegistry.ICodeModel>
  ): StateDocument {
    const content = new StateDocumentView({
      context,
      trans: this._trans,
      commands: this._commands
    });
    return new StateDocument({ context, content, trans: this._trans });
  }

  private _trans: TranslationBundle;
  private _commands: CommandRegistry;
}

export namespace StateDocumentFactory {
  export interface IOptions extends DocumentRegistry.IWidgetFactoryOptions<StateDocument> {
    trans: TranslationBundle;
    commands: CommandRegistry;
  }
}

/**
 * The viewer's name: the file name without `.ng.json` or `.json`.
 */
function viewerName(path: string): string {
  const name = PathExt.basename(path);
  return name.replace(/(\.ng)?\.json$/i, '') || name;
}

/**
 * The viewer in a same-origin iframe, for `ViewerStateModel`.
 */
function frameViewerSource(iframe: HTMLIFrameElement): IViewerSource {
  return {
    getViewer: () => {
      let viewer: unknown;
      try {
        viewer = (iframe.contentWindow as any)?.viewer;
      } catch {
        return null;
      }
      const state = (viewer as INeuroglancerViewer | undefined)?.state;
      return typeof state?.toJSON === 'function' &&
        typeof state.restoreState === 'function' &&
        typeof state.changed?.add === 'function'
        ? (viewer as INeuroglancerViewer)
        : null;
    },
    onReload: callback => {
      iframe.addEventListener('load', callback);
      return () => iframe.removeEventListener('load', callback);
    }
  };
}
