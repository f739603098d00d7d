/**
 * The lifecycle of one Neuroglancer panel: it says in a banner when its viewer is gone and
 * offers to recreate it in its kernel or keep it standalone; it adds the screenshot button; it
 * forwards JupyterLab's shortcuts from inside the viewer.
 */
import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { Contents } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { imageIcon, ToolbarButton } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { IDisposable } from '@lumino/disposable';

import { evaluateInKernel, KernelCommandError } from '../kernelExecution';
import { recreateExpression } from '../kernelSnippets';
import { NeuroglancerState } from '../neuroglancerState';
import {
  createHostedViewer,
  deleteViewer,
  registerKernelViewer
} from '../serverApi';
import { IViewerRecord } from '../tokens';
import { NeuroglancerPanel } from '../widgets/neuroglancerPanel';
import { IBannerContent, ViewerBanner } from '../widgets/viewerBanner';
import { forwardShortcuts } from './keyboardForwarding';
import { KernelWatcher, SessionWidget } from './kernelWatcher';
import {
  captureViewerPng,
  saveScreenshot,
  screenshotFileName,
  ScreenshotError
} from './screenshot';
import { layersFromPythonMemory } from './stateSources';
import { ViewerMonitor } from './viewerMonitor';
import { IKernelContext, ViewerEndReason, ViewerStatus } from './viewerStatus';

/**
 * What every panel's lifecycle uses.
 */
export interface ILifecycleServices {
  trans: TranslationBundle;
  commands: CommandRegistry;
  contents: Contents.IManager;
  monitor: ViewerMonitor;
  watcher: KernelWatcher;
  /** The folder for screenshots of viewers without a notebook (the file browser's). */
  defaultFolder: () => string;
}

/**
 * Attached to one panel for its whole life.
 */
export class PanelLifecycle implements IDisposable {
  constructor(
    readonly panel: NeuroglancerPanel,
    private _services: ILifecycleServices
  ) {
    const { trans, monitor } = _services;
    this._banner = new ViewerBanner();
    panel.contentHeader.addWidget(this._banner);

    const screenshot = new ToolbarButton({
      icon: imageIcon,
      tooltip: trans.__(
        'Save a PNG of the current view next to the notebook (or in the file browser folder)'
      ),
      onClick: () => void this.saveScreenshot()
    });
    if (!panel.toolbar.insertAfter('reload', 'screenshot', screenshot)) {
      panel.toolbar.addItem('screenshot', screenshot);
    }

    const frame = panel.content.node.querySelector('iframe')!;
    frame.addEventListener('load', this._onFrameLoad);
    this._onFrameLoad();

    monitor.statusChanged.connect(this._onStatus, this);
    panel.recordChanged.connect(this._refresh, this);
    panel.lifecycleChanged.connect(this._refresh, this);
    panel.disposed.connect(() => {
      // A viewer hosted by the Jupyter server exists for this panel only: closing the panel
      // ends it (a kernel's viewer stays, it is a Python variable).
      if (panel.record.owner.kind === 'server') {
        void deleteViewer(panel.record.id).catch(() => undefined);
      }
      this.dispose();
    });
    this._refresh();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The banner (for tests and other extensions: what it says). */
  get banner(): ViewerBanner {
    return this._banner;
  }

  /**
   * Recreate the viewer in its notebook's kernel from its last state, and show it here.
   */
  async recreateInKernel(): Promise<void> {
    const { trans } = this._services;
    const panel = this.panel;
    const state = this._state();
    const context = panel.replaced?.context ?? panel.context;
    const name = panel.replaced?.name ?? panel.record.name;
    if (!state) {
      return this._noState();
    }
    const widget = await this._findSessionWidget(context);
    if (!widget) {
      await showErrorMessage(
        trans.__('The notebook is not open'),
        trans.__(
          'Open %1 (or the notebook or console that made the viewer) and try again.',
          context?.label ?? trans.__('the notebook')
        )
      );
      return;
    }
    // A kernel still starting after a restart takes the request once it is ready (JupyterLab
    // queues it), so there is nothing to wait for here.
    const target = KernelWatcher.target(widget);
    let record: IViewerRecord;
    try {
      const answer = JSON.parse(
        await evaluateInKernel(target, recreateExpression(state, name), trans)
      ) as { name: string; port: number; token: string };
      const kernelId = widget.sessionContext.session?.kernel?.id;
      if (!kernelId) {
        throw new Error(trans.__('The kernel of %1 went away.', target.label));
      }
      record = await registerKernelViewer({
        kernelId,
        port: answer.port,
        token: answer.token,
        name: answer.name
      });
    } catch (error) {
      if (error instanceof KernelCommandError) {
        await showErrorMessage(error.title, error.message);
      } else {
        await showErrorMessage(
          trans.__('The viewer could not be recreated'),
          error instanceof Error ? error.message : String(error)
        );
      }
      return;
    }
    const previous = panel.record;
    panel.replaced = null;
    panel.switchViewer(record, {
      label: target.label,
      path: widget.sessionContext.path
    });
    // The viewer it replaces is gone (or was a stand-in hosted by the server): forget it.
    void deleteViewer(previous.id).catch(() => undefined);
    Notification.success(
      trans.__(
        'The viewer is back as the variable "%1" in the kernel of %2.',
        record.name,
        target.label
      ),
      { autoClose: 5000 }
    );
  }

  /**
   * Show the last state in a viewer hosted by the Jupyter server, in this panel.
   */
  async keepStandalone(): Promise<void> {
    const { trans } = this._services;
    const panel = this.panel;
    const state = this._state();
    if (!state) {
      return this._noState();
    }
    let record: IViewerRecord;
    try {
      record = await createHostedViewer({ state, name: panel.record.name });
    } catch (error) {
      await showErrorMessage(
        trans.__('The viewer could not be opened'),
        error instanceof Error ? error.message : String(error)
      );
      return;
    }
    const previous = panel.record;
    panel.replaced = null;
    panel.switchViewer(record, null);
    void deleteViewer(previous.id).catch(() => undefined);
  }

  /**
   * Save a PNG of the current view next to the panel's notebook (else in the file browser's
   * folder), and say where.
   */
  async saveScreenshot(): Promise<string | null> {
    const { trans, contents, commands } = this._services;
    const panel = this.panel;
    let content: string;
    try {
      content = await captureViewerPng(panel.viewerWindow, {
        notLoaded: trans.__(
          'The viewer is still loading. Wait until it shows, then try again.'
        ),
        blank: trans.__(
          'The viewer has not drawn anything yet. Wait until it shows its data, then try again.'
        )
      });
    } catch (error) {
      await showErrorMessage(
        trans.__('No screenshot taken'),
        error instanceof ScreenshotError
          ? error.message
          : trans.__('The view could not be captured: %1', String(error))
      );
      return null;
    }
    const folder = this._screenshotFolder();
    let path: string;
    try {
      path = await saveScreenshot(
        contents,
        folder,
        screenshotFileName(panel.record.name, new Date()),
        content
      );
    } catch (error) {
      await showErrorMessage(
        trans.__('The screenshot could not be saved'),
        trans.__(
          'Saving it in "%1" failed: %2',
          folder || '/',
          error instanceof Error ? error.message : String(error)
        )
      );
      return null;
    }
    Notification.success(trans.__('Saved the screenshot as %1', path), {
      autoClose: 6000,
      actions: [
        {
          label: trans.__('Open'),
          callback: () => void commands.execute('docmanager:open', { path })
        }
      ]
    });
    return path;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._stopForwarding?.();
    this._services.monitor.statusChanged.disconnect(this._onStatus, this);
  }

  private _onStatus(
    _: ViewerMonitor,
    { panel }: { panel: NeuroglancerPanel; status: ViewerStatus }
  ): void {
    if (panel === this.panel) {
      this._refresh();
    }
  }

  private _onFrameLoad = (): void => {
    this._stopForwarding?.();
    this._stopForwarding = null;
    let frameWindow: Window | null = null;
    try {
      frameWindow = this.panel.viewerWindow;
      // Touch the document: throws while the frame is not same-origin.
      void frameWindow?.document;
    } catch {
      return;
    }
    if (frameWindow) {
      this._stopForwarding = forwardShortcuts(frameWindow, this.panel.node);
    }
  };

  private _refresh(): void {
    if (this._isDisposed) {
      return;
    }
    const panel = this.panel;
    const status = this._services.monitor.status(panel);
    const gone = status !== null && !status.alive;
    // Called on every state change too: only redraw the banner when what it says changes.
    const key = JSON.stringify([
      panel.record.id,
      status,
      panel.replaced,
      layersFromPythonMemory(panel.lastState)
    ]);
    if (key === this._shown) {
      return;
    }
    this._shown = key;
    panel.viewerGone = gone;
    panel.toggleClass('jp-mod-viewerGone', gone);
    if (status && !status.alive) {
      this._banner.set(this._goneContent(status.reason));
    } else if (panel.replaced) {
      this._banner.set(this._replacedContent());
    } else {
      this._banner.clear();
    }
  }

  /** The banner of a viewer that just went away. */
  private _goneContent(reason: ViewerEndReason): IBannerContent {
    const { trans } = this._services;
    const panel = this.panel;
    const name = panel.record.name;
    const label = panel.context?.label ?? '';
    const state = this._state();
    const details: string[] = [];
    if (panel.record.owner.kind === 'kernel') {
      const message =
        reason === 'kernel-restarted'
          ? trans.__('The kernel of %1 restarted; `%2` is gone.', label, name)
          : reason === 'kernel-stopped'
            ? trans.__('The kernel of %1 stopped; `%2` is gone.', label, name)
            : reason === 'server-stopped'
              ? trans.__(
                  'The Neuroglancer server of `%1` in the kernel of %2 stopped; the viewer is gone.',
                  name,
                  label
                )
              : trans.__(
                  'The Jupyter server no longer knows `%1` of %2 (it may have restarted); the viewer is gone.',
                  name,
                  label
                );
      if (!state) {
        details.push(
          trans.__(
            'Its state was never read, so it cannot come back: run the code that made it again.'
          )
        );
        return {
          kind: 'warning',
          message,
          detail: details.join(' '),
          actions: []
        };
      }
      details.push(
        trans.__(
          'Its last state is kept: recreate it in the kernel (the variable comes back), or keep it here as a standalone viewer.'
        )
      );
      details.push(...this._pythonMemoryNote(state));
      return {
        kind: 'warning',
        message,
        detail: details.join(' '),
        actions: [
          {
            label: trans.__('Recreate in the kernel'),
            caption: trans.__(
              'Make a new viewer with this state in the kernel of %1, as the variable %2',
              label,
              name
            ),
            primary: true,
            execute: () => this.recreateInKernel()
          },
          {
            label: trans.__('Keep as standalone viewer'),
            caption: trans.__(
              'Show this state in a viewer hosted by the Jupyter server, without a kernel'
            ),
            execute: () => this.keepStandalone()
          }
        ]
      };
    }
    const message =
      reason === 'closed'
        ? trans.__('The viewer `%1` was closed on the Jupyter server.', name)
        : trans.__(
            'The viewer `%1` is gone from the Jupyter server (it may have restarted).',
            name
          );
    if (!state) {
      return { kind: 'warning', message, actions: [] };
    }
    return {
      kind: 'warning',
      message,
      detail: [
        trans.__('Its last state is kept.'),
        ...this._pythonMemoryNote(state)
      ].join(' '),
      actions: [
        {
          label: trans.__('Open it again'),
          primary: true,
          execute: () => this.keepStandalone()
        }
      ]
    };
  }

  /** The banner of a server-hosted viewer standing in for a kernel viewer after a reload. */
  private _replacedContent(): IBannerContent {
    const { trans } = this._services;
    const replaced = this.panel.replaced!;
    const { name, context, reason } = replaced;
    const label = context.label;
    const message =
      reason === 'kernel-restarted'
        ? trans.__(
            'The kernel of %1 restarted, so `%2` could not be reattached.',
            label,
            name
          )
        : reason === 'kernel-stopped'
          ? trans.__(
              'The kernel of %1 stopped, so `%2` could not be reattached.',
              label,
              name
            )
          : reason === 'server-stopped'
            ? trans.__(
                'The Neuroglancer server of `%1` in the kernel of %2 stopped, so the viewer could not be reattached.',
                name,
                label
              )
            : trans.__(
                '`%1` of %2 could not be reattached (the Jupyter server may have restarted).',
                name,
                label
              );
    const detail = [
      trans.__(
        'Its last state opened here in a viewer hosted by the Jupyter server.'
      ),
      ...this._pythonMemoryNote(this._state())
    ].join(' ');
    return {
      kind: 'info',
      message,
      detail,
      actions: [
        {
          label: trans.__("Recreate in %1's kernel", label),
          caption: trans.__(
            'Make a new viewer with this state in the kernel of %1, as the variable %2',
            label,
            name
          ),
          primary: true,
          execute: () => this.recreateInKernel()
        },
        {
          label: trans.__('Dismiss'),
          caption: trans.__(
            'Keep this standalone viewer and hide this message'
          ),
          execute: () => {
            this.panel.replaced = null;
          }
        }
      ]
    };
  }

  private _pythonMemoryNote(state: NeuroglancerState | null): string[] {
    const { trans } = this._services;
    const layers = layersFromPythonMemory(state);
    if (!layers.length) {
      return [];
    }
    return [
      layers.length === 1
        ? trans.__(
            'The layer %1 showed an array from Python memory; the state alone cannot bring its data back: run the code that made it again.',
            layers[0]
          )
        : trans.__(
            'The layers %1 showed arrays from Python memory; the state alone cannot bring their data back: run the code that made them again.',
            layers.join(', ')
          )
    ];
  }

  /** The freshest state: the page's own while it is loaded, else the last one kept. */
  private _state(): NeuroglancerState | null {
    return this.panel.currentState() ?? this.panel.lastState;
  }

  private async _noState(): Promise<void> {
    const { trans } = this._services;
    await showErrorMessage(
      trans.__('No state to recreate the viewer from'),
      trans.__(
        'The state of this viewer was never read. Run the code that made it again.'
      )
    );
  }

  /**
   * The open notebook or console of `context`; a notebook that is not open is opened.
   */
  private async _findSessionWidget(
    context: IKernelContext | null
  ): Promise<SessionWidget | null> {
    const owner = this.panel.record.owner;
    const kernelId = owner.kind === 'kernel' ? owner.kernel_id : undefined;
    const found = this._services.watcher.find(context, kernelId);
    if (found || !context?.path || !context.path.endsWith('.ipynb')) {
      return found;
    }
    try {
      const widget = await this._services.commands.execute('docmanager:open', {
        path: context.path,
        options: { mode: 'split-left', ref: this.panel.id }
      });
      if (widget && 'sessionContext' in widget) {
        await (widget as SessionWidget).sessionContext.ready;
        return widget as SessionWidget;
      }
    } catch {
      // Not openable: say so below.
    }
    return null;
  }

  private _screenshotFolder(): string {
    const path =
      this.panel.context?.path ?? this.panel.replaced?.context.path ?? '';
    if (path.endsWith('.ipynb')) {
      const folder = PathExt.dirname(path);
      return folder === '.' ? '' : folder;
    }
    return this._services.defaultFolder();
  }

  private _banner: ViewerBanner;
  private _stopForwarding: (() => void) | null = null;
  private _shown = '';
  private _isDisposed = false;
}
