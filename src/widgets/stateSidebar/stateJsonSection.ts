/**
 * The "State JSON" section: the whole state in a JSON editor (highlighted, foldable), kept live
 * until the user edits it; Apply (or Ctrl+Enter) makes the viewer's state exactly the edited one.
 * Invalid JSON, or a state Neuroglancer refuses, gets a message here and changes nothing.
 */
import {
  CodeEditor,
  CodeEditorWrapper,
  IEditorServices
} from '@jupyterlab/codeeditor';
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

import { parseStateText, prettyJson, textEdit } from '../../models/stateJson';
import { ApplyProblem } from '../../models/viewerStateModel';
import { StateSidebarModel } from './sidebarModel';

/**
 * Line numbers and folding (the state is long); long lines wrap in the narrow sidebar.
 */
const EDITOR_CONFIG = { lineNumbers: true, codeFolding: true, tabSize: 2 };

/**
 * The state JSON editor of the sidebar.
 */
export class StateJsonSection extends Panel {
  constructor(options: StateJsonSection.IOptions) {
    super();
    const { model, trans, editorServices } = options;
    this._model = model;
    this._trans = trans;
    this.id = 'jp-NeuroglancerSidebar-json';
    this.addClass('jp-NeuroglancerSidebar-section');
    this.addClass('jp-NeuroglancerSidebar-json');

    this._editorModel = new CodeEditor.Model({ mimeType: 'application/json' });
    this._editor = new CodeEditorWrapper({
      factory: editorServices.factoryService.newDocumentEditor,
      model: this._editorModel,
      editorOptions: { config: EDITOR_CONFIG }
    });
    this._editor.addClass('jp-NeuroglancerSidebar-editor');
    this._editor.node.setAttribute(
      'aria-label',
      trans.__('Viewer state as JSON')
    );
    this._editor.node.addEventListener('keydown', this._onKeyDown, true);
    this.addWidget(this._editor);

    this._footer = new Widget({ node: this._createFooter() });
    this._footer.addClass('jp-NeuroglancerSidebar-jsonFooter');
    this.addWidget(this._footer);

    this._editorModel.sharedModel.changed.connect(this._updateStatus, this);
    model.changed.connect(this._onModelChanged, this);
    this._sync(true);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.changed.disconnect(this._onModelChanged, this);
    this._editor.node.removeEventListener('keydown', this._onKeyDown, true);
    super.dispose();
    this._editorModel.dispose();
  }

  /** Whether the editor holds text the viewer does not have yet. */
  get isEdited(): boolean {
    return this._editorModel.sharedModel.getSource() !== this._shown;
  }

  /**
   * Apply the edited state to the viewer, or say why not.
   */
  apply(): void {
    const trans = this._trans;
    const viewer = this._model.viewer;
    const parsed = parseStateText(this._editorModel.sharedModel.getSource());
    if (!parsed.ok) {
      switch (parsed.reason) {
        case 'empty':
          return this._showError(
            trans.__(
              'The editor is empty: a state is a JSON object such as {"layers": []}. Nothing was changed.'
            )
          );
        case 'syntax':
          return this._showError(
            trans.__(
              'This is not valid JSON (%1). Nothing was changed: fix the text, or press Revert.',
              parsed.detail
            )
          );
        case 'not-object':
          return this._showError(
            trans.__(
              'A state is a JSON object such as {"layers": []}, not %1. Nothing was changed.',
              parsed.found
            )
          );
      }
    }
    if (!viewer || !parsed.ok) {
      return;
    }
    const result = viewer.applyState(parsed.state);
    if (!result.ok) {
      return this._showError(this._problemText(result));
    }
    this._showError('');
    this._sync(true);
  }

  /**
   * Show the viewer's current state again, dropping the edits.
   */
  revert(): void {
    this._showError('');
    this._sync(true);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    // The text editor settings, loaded after this editor was made, override its options.
    this._editor.editor.setOptions(EDITOR_CONFIG);
    if (this._stale) {
      this._sync(false);
    }
  }

  private _problemText(problem: ApplyProblem): string {
    const trans = this._trans;
    switch (problem.reason) {
      case 'no-viewer':
        return trans.__(
          'The viewer has not loaded yet. Wait for it, then apply again.'
        );
      case 'rejected':
        return trans.__(
          'Neuroglancer refused this state: %1. Nothing was changed.',
          problem.detail
        );
      case 'layer-not-created':
        return trans.__(
          'Neuroglancer could not create the layer "%1" (see its message in the viewer). Nothing was changed.',
          problem.layer
        );
      case 'unknown-layer-type':
        return trans.__(
          'The layer "%1" has the type "%2", which Neuroglancer does not know (image, segmentation, annotation, mesh…). Nothing was changed.',
          problem.layer,
          problem.type
        );
    }
  }

  private _onModelChanged(
    _: StateSidebarModel,
    change: StateSidebarModel.Change
  ): void {
    if (change === 'panel') {
      // Another viewer: edits made for the previous one do not apply to it.
      this._showError('');
      this._sync(true);
    } else if (change === 'state') {
      this._sync(false);
    }
  }

  /**
   * Put the viewer's state in the editor, unless the user is editing (or `force`).
   * Nothing is laid out while the section is collapsed: it catches up when shown.
   */
  private _sync(force: boolean): void {
    const state = this._model.state;
    const text = state ? prettyJson(state) : '';
    if (!force && !this.isVisible && this.isAttached) {
      this._stale = true;
      return;
    }
    this._stale = false;
    if (!force && this.isEdited) {
      this._viewerMoved = text !== this._shown;
      this._updateStatus();
      return;
    }
    const sharedModel = this._editorModel.sharedModel;
    const edit = textEdit(sharedModel.getSource(), text);
    this._shown = text;
    this._viewerMoved = false;
    if (edit) {
      // The viewer's changes are not the user's: keep them out of the undo history.
      sharedModel.transact(
        () => sharedModel.updateSource(edit.start, edit.end, edit.insert),
        false
      );
    }
    this._updateStatus();
  }

  private _createFooter(): HTMLElement {
    const trans = this._trans;
    const node = document.createElement('div');
    const actions = document.createElement('div');
    actions.className = 'jp-NeuroglancerSidebar-jsonActions';
    this._applyButton = button(
      trans.__('Apply'),
      trans.__("Make this the viewer's state (Ctrl+Enter)"),
      'jp-mod-accept',
      () => this.apply()
    );
    this._revertButton = button(
      trans.__('Revert'),
      trans.__("Drop the edits and show the viewer's state"),
      'jp-mod-reject',
      () => this.revert()
    );
    this._status = document.createElement('span');
    this._status.className = 'jp-NeuroglancerSidebar-hint';
    this._status.setAttribute('aria-live', 'polite');
    actions.append(this._applyButton, this._revertButton, this._status);
    this._error = document.createElement('div');
    this._error.className = 'jp-NeuroglancerSidebar-error';
    this._error.setAttribute('role', 'alert');
    this._error.hidden = true;
    node.append(actions, this._error);
    return node;
  }

  private _updateStatus(): void {
    const edited = this.isEdited;
    if (this._applyButton) {
      this._applyButton.disabled = !edited || !this._model.viewer;
      this._revertButton!.disabled = !edited && !this._viewerMoved;
    }
    if (this._status) {
      this._status.textContent = !edited
        ? this._model.state
          ? this._trans.__('Live: follows the viewer')
          : this._trans.__('Waiting for the viewer…')
        : this._viewerMoved
          ? this._trans.__(
              'Edited; the viewer has changed since (Apply replaces it)'
            )
          : this._trans.__('Edited: Apply to change the viewer');
    }
    if (!edited && this._error) {
      // Reverted or applied: the message was about text that is gone.
      this._showError('');
    }
  }

  private _showError(message: string): void {
    this._error.textContent = message;
    this._error.hidden = !message;
  }

  private _onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.stopPropagation();
      this.apply();
    }
  };

  private _model: StateSidebarModel;
  private _trans: TranslationBundle;
  private _editorModel: CodeEditor.Model;
  private _editor: CodeEditorWrapper;
  private _footer: Widget;
  private _applyButton: HTMLButtonElement | null = null;
  private _revertButton: HTMLButtonElement | null = null;
  private _status: HTMLElement | null = null;
  private _error!: HTMLElement;
  /** The text last put in the editor from the viewer. */
  private _shown = '';
  private _viewerMoved = false;
  private _stale = false;
}

export namespace StateJsonSection {
  export interface IOptions {
    model: StateSidebarModel;
    trans: TranslationBundle;
    editorServices: IEditorServices;
  }
}

function button(
  label: string,
  title: string,
  kind: string,
  onClick: () => void
): HTMLButtonElement {
  const node = document.createElement('button');
  node.type = 'button';
  node.className = `jp-Button jp-mod-styled jp-mod-small ${kind}`;
  node.textContent = label;
  node.title = title;
  node.addEventListener('click', onClick);
  return node;
}
