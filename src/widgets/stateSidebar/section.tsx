/**
 * A section of the state sidebar rendered with React from the sidebar's model, again whenever
 * the model changes.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { StateSidebarModel } from './sidebarModel';

/**
 * What every section's component receives.
 */
export interface ISectionProps {
  model: StateSidebarModel;
  trans: TranslationBundle;
}

/**
 * The body of a sidebar section: a React component.
 */
export class SidebarSection extends ReactWidget {
  constructor(options: SidebarSection.IOptions) {
    super();
    this._options = options;
    this.id = options.id;
    this.addClass('jp-NeuroglancerSidebar-section');
  }

  protected render(): React.ReactElement {
    const { model, trans, component: Component } = this._options;
    return (
      <UseSignal signal={model.changed}>
        {() => <Component model={model} trans={trans} />}
      </UseSignal>
    );
  }

  private _options: SidebarSection.IOptions;
}

export namespace SidebarSection {
  export interface IOptions extends ISectionProps {
    id: string;
    component: React.ComponentType<ISectionProps>;
  }
}
