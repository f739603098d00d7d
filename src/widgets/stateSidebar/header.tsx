/**
 * The sidebar's header: the followed viewer's name, or, with no viewer open, a message and
 * buttons that open one.
 */
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { CommandIDs } from '../../tokens';
import { ISectionProps } from './section';

/**
 * The header's props: a section's, and the commands its buttons run.
 */
export interface IHeaderProps extends ISectionProps {
  commands: CommandRegistry;
}

/**
 * The header of the state sidebar.
 */
export function SidebarHeader({
  model,
  trans,
  commands
}: IHeaderProps): JSX.Element {
  const panel = model.panel;
  if (!panel) {
    return (
      <div className="jp-NeuroglancerSidebar-empty">
        <h2 className="jp-NeuroglancerSidebar-title">
          {trans.__('Neuroglancer state')}
        </h2>
        <p>{trans.__('No Neuroglancer viewer open')}</p>
        <div className="jp-NeuroglancerSidebar-emptyActions">
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept"
            data-command={CommandIDs.openDemo}
            onClick={() => void commands.execute(CommandIDs.openDemo)}
          >
            {trans.__('Open the demo')}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject"
            data-command={CommandIDs.openUrl}
            onClick={() => void commands.execute(CommandIDs.openUrl)}
          >
            {trans.__('Open a URL…')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="jp-NeuroglancerSidebar-heading">
      <h2 className="jp-NeuroglancerSidebar-title" title={panel.title.caption}>
        {model.viewerName}
      </h2>
      <div className="jp-NeuroglancerSidebar-hint">
        {model.state
          ? panel.record.owner.kind === 'kernel'
            ? trans.__("Live, in both directions, with the kernel's viewer")
            : trans.__('Live: hosted by the Jupyter server')
          : trans.__('Waiting for the viewer to load…')}
      </div>
    </div>
  );
}
