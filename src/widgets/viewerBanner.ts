/**
 * A banner above a Neuroglancer panel's viewer: what happened to the viewer, and what can be
 * done about it (recreate it in its kernel, keep it standalone...).
 */
import { Message, MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

/**
 * One button of the banner.
 */
export interface IBannerAction {
  label: string;
  /** A tooltip. */
  caption?: string;
  /** The main action is drawn as the accent button. */
  primary?: boolean;
  /** Run when clicked; the banner's buttons are disabled until it settles. */
  execute: () => Promise<void> | void;
}

/**
 * What the banner says.
 */
export interface IBannerContent {
  /** `warning` for a viewer that is gone, `info` otherwise. */
  kind: 'warning' | 'info';
  /** One or two sentences; text between backticks shows as code (`viewer`). */
  message: string;
  /** A second, quieter paragraph. */
  detail?: string;
  actions: IBannerAction[];
}

/**
 * The banner widget; hidden while it has nothing to say.
 *
 * It lives in a Lumino box layout (the main area widget's content header), which sizes children
 * by their CSS minimum height only: the banner measures its content and sets its minimum height
 * to it, again whenever its width (and so the wrapping of its text) changes.
 */
export class ViewerBanner extends Widget {
  constructor() {
    super();
    this.addClass('jp-NeuroglancerBanner');
    this.node.setAttribute('role', 'status');
    this._inner = document.createElement('div');
    this._inner.className = 'jp-NeuroglancerBanner-content';
    this.node.appendChild(this._inner);
    this.hide();
  }

  /** What the banner shows now, or `null`. */
  get content(): IBannerContent | null {
    return this._content;
  }

  /**
   * Show `content` (replacing what was shown).
   */
  set(content: IBannerContent): void {
    this._content = content;
    const node = this._inner;
    node.textContent = '';
    this.node.classList.toggle('jp-mod-warning', content.kind === 'warning');
    this.node.classList.toggle('jp-mod-info', content.kind === 'info');

    const text = document.createElement('div');
    text.className = 'jp-NeuroglancerBanner-text';
    text.appendChild(
      Private.paragraph(content.message, 'jp-NeuroglancerBanner-message')
    );
    if (content.detail) {
      text.appendChild(
        Private.paragraph(content.detail, 'jp-NeuroglancerBanner-detail')
      );
    }
    node.appendChild(text);

    const actions = document.createElement('div');
    actions.className = 'jp-NeuroglancerBanner-actions';
    const buttons: HTMLButtonElement[] = [];
    for (const action of content.actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `jp-mod-styled ${action.primary ? 'jp-mod-accept' : 'jp-mod-reject'}`;
      button.textContent = action.label;
      if (action.caption) {
        button.title = action.caption;
      }
      button.addEventListener('click', async () => {
        buttons.forEach(b => (b.disabled = true));
        this.node.classList.add('jp-mod-busy');
        try {
          await action.execute();
        } finally {
          buttons.forEach(b => (b.disabled = false));
          this.node.classList.remove('jp-mod-busy');
        }
      });
      buttons.push(button);
      actions.appendChild(button);
    }
    node.appendChild(actions);
    this.show();
    this._fitToContent();
  }

  /** Hide the banner. */
  clear(): void {
    this._content = null;
    this._inner.textContent = '';
    this.hide();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._fitToContent();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    if (msg.width !== this._width) {
      this._width = msg.width;
      this._fitToContent();
    }
  }

  /** Make the layout give the banner the height of its content. */
  private _fitToContent(): void {
    if (!this.isVisible) {
      return;
    }
    const style = getComputedStyle(this.node);
    const height =
      this._inner.offsetHeight +
      (parseFloat(style.borderTopWidth) || 0) +
      (parseFloat(style.borderBottomWidth) || 0);
    if (height && height !== this._height) {
      this._height = height;
      this.node.style.minHeight = `${height}px`;
      if (this.parent) {
        MessageLoop.postMessage(this.parent, Widget.Msg.FitRequest);
      }
    }
  }

  private _content: IBannerContent | null = null;
  private _inner: HTMLDivElement;
  private _width = -1;
  private _height = 0;
}

namespace Private {
  /** A paragraph of `text` where `code` spans become `<code>` elements. */
  export function paragraph(text: string, className: string): HTMLElement {
    const p = document.createElement('p');
    p.className = className;
    text.split('`').forEach((part, index) => {
      if (index % 2 === 1) {
        const code = document.createElement('code');
        code.textContent = part;
        p.appendChild(code);
      } else if (part) {
        p.appendChild(document.createTextNode(part));
      }
    });
    return p;
  }
}
