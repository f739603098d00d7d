/**
 * The dockable Neuroglancer panel: a main-area widget around an iframe on the proxied viewer.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  IFrame,
  launchIcon,
  refreshIcon,
  ToolbarButton
} from '@jupyterlab/ui-components';

import { neuroglancerIcon } from '../icons';
import { viewerPageUrl } from '../serverApi';
import { INeuroglancerPanel, IViewerRecord } from '../tokens';

/**
 * The iframe must be same-origin and scriptable so the sidebar can read `window.viewer`.
 */
const SANDBOX: IFrame.SandboxExceptions[] = [
  'allow-scripts',
  'allow-same-origin',
  'allow-downloads',
  'allow-forms',
  'allow-modals',
  'allow-popups',
  'allow-pointer-lock'
];

/**
 * A Neuroglancer viewer in the main area.
 */
export class NeuroglancerPanel
  extends MainAreaWidget<IFrame>
  implements INeuroglancerPanel
{
  constructor(options: NeuroglancerPanel.IOptions) {
    const content = new IFrame({
      sandbox: SANDBOX,
      referrerPolicy: 'same-origin'
    });
    super({ content });
    const { record, contextLabel, trans } = options;
    this.record = record;
    this.id = `neuroglancer-${record.id}`;
    this.addClass('jp-NeuroglancerPanel');
    this.title.icon = neuroglancerIcon;
    this.title.closable = true;
    this.title.label = contextLabel
      ? `${record.name} · ${contextLabel}`
      : record.name;
    this.title.caption =
      record.owner.kind === 'kernel'
        ? trans.__(
            'Neuroglancer viewer "%1" in the kernel of %2',
            record.name,
            contextLabel ?? ''
          )
        : trans.__(
            'Neuroglancer viewer "%1" hosted by the Jupyter server',
            record.name
          );
    content.url = viewerPageUrl(record);

    this.toolbar.addItem(
      'reload',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: trans.__('Reload the viewer'),
        onClick: () => this.reload()
      })
    );
    this.toolbar.addItem(
      'open-tab',
      new ToolbarButton({
        icon: launchIcon,
        tooltip: trans.__('Open this viewer in a new browser tab'),
        onClick: () => window.open(viewerPageUrl(record), '_blank', 'noopener')
      })
    );
  }

  /** The registry record of the viewer shown. */
  readonly record: IViewerRecord;

  /** The iframe's window: same origin, so `viewerWindow.viewer` is Neuroglancer's viewer. */
  get viewerWindow(): Window | null {
    return this.content.node.querySelector('iframe')?.contentWindow ?? null;
  }

  /** Load the viewer page again (its state lives in the viewer's server, so nothing is lost). */
  reload(): void {
    const url = this.content.url;
    this.content.url = '';
    this.content.url = url;
  }
}

export namespace NeuroglancerPanel {
  export interface IOptions {
    record: IViewerRecord;
    /** The notebook or console whose kernel holds the viewer, if any. */
    contextLabel?: string;
    trans: TranslationBundle;
  }
}
