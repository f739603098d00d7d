/**
 * The state sidebar: a side panel that follows the Neuroglancer panel the user last focused and
 * shows its state live: layers, view, the state as JSON, and a share link.
 */
import { IEditorServices } from '@jupyterlab/codeeditor';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  CommandToolbarButton,
  ReactWidget,
  SidePanel,
  UseSignal
} from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Panel, Widget } from '@lumino/widgets';
import * as React from 'react';

import { CommandIDs } from '../../tokens';
import { CollapsibleSection } from './collapsibleSection';
import { SidebarHeader } from './header';
import { neuroglancerStateIcon } from './icon';
import { LayersSection } from './layersSection';
import { SidebarSection } from './section';
import { ShareSection } from './shareSection';
import { StateSidebarModel } from './sidebarModel';
import { StateJsonSection } from './stateJsonSection';
import { ViewSection } from './viewSection';

/**
 * The state sidebar.
 */
export class StateSidebar extends SidePanel {
  constructor(options: StateSidebar.IOptions) {
    // One scrolling column (not an accordion): each section keeps its natural height.
    super({ translator: options.translator, content: new Panel() });
    const { model, trans, commands, editorServices } = options;
    this._model = model;
    this._bundle = trans;
    this.id = StateSidebar.ID;
    this.title.icon = neuroglancerStateIcon;
    this.title.caption = trans.__('Neuroglancer State');
    this.addClass('jp-NeuroglancerSidebar');

    this.header.addWidget(
      ReactWidget.create(
        <UseSignal signal={model.changed}>
          {() => (
            <SidebarHeader model={model} trans={trans} commands={commands} />
          )}
        </UseSignal>
      )
    );

    for (const id of [CommandIDs.saveStateAs, CommandIDs.insertStateAsCode]) {
      this.toolbar.addItem(
        id,
        // `toolbar: true` gives the commands' short labels.
        new CommandToolbarButton({ commands, id, args: { toolbar: true } })
      );
    }

    const sections: [string, Widget][] = [
      [
        trans.__('Layers'),
        new SidebarSection({
          id: 'jp-NeuroglancerSidebar-layers',
          model,
          trans,
          component: LayersSection
        })
      ],
      [
        trans.__('View'),
        new SidebarSection({
          id: 'jp-NeuroglancerSidebar-view',
          model,
          trans,
          component: ViewSection
        })
      ],
      [
        trans.__('State JSON'),
        new StateJsonSection({ model, trans, editorServices })
      ],
      [
        trans.__('Share'),
        new SidebarSection({
          id: 'jp-NeuroglancerSidebar-share',
          model,
          trans,
          component: ShareSection
        })
      ]
    ];
    for (const [label, body] of sections) {
      this.addWidget(new CollapsibleSection({ label, body }));
    }

    model.changed.connect(this._onModelChanged, this);
    this._onModelChanged();
  }

  /** The sidebar's model. */
  get model(): StateSidebarModel {
    return this._model;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.changed.disconnect(this._onModelChanged, this);
    super.dispose();
  }

  private _onModelChanged(): void {
    const hasPanel = this._model.panel !== null;
    this.toggleClass('jp-mod-empty', !hasPanel);
    this.content.setHidden(!hasPanel);
    this.toolbar.setHidden(!hasPanel);
    this.title.caption = hasPanel
      ? this._bundle.__('Neuroglancer State: %1', this._model.viewerName)
      : this._bundle.__('Neuroglancer State');
  }

  private _model: StateSidebarModel;
  private _bundle: TranslationBundle;
}

export namespace StateSidebar {
  /** The sidebar's widget id (the layout restorer's key too). */
  export const ID = 'jp-neuroglancer-state-sidebar';

  export interface IOptions {
    model: StateSidebarModel;
    trans: TranslationBundle;
    translator?: ITranslator;
    commands: CommandRegistry;
    editorServices: IEditorServices;
  }
}
