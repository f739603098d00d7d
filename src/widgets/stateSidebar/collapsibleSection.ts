/**
 * A titled section of the sidebar that folds away: a header button and a body widget. The
 * sidebar is one scrolling column of these, so every section keeps its natural height.
 */
import { caretDownIcon } from '@jupyterlab/ui-components';
import { Panel, Widget } from '@lumino/widgets';

/**
 * A section with a header that shows or hides its body.
 */
export class CollapsibleSection extends Panel {
  constructor(options: CollapsibleSection.IOptions) {
    super();
    const { body, label } = options;
    this.addClass('jp-NeuroglancerSidebar-collapsible');
    this.body = body;

    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jp-NeuroglancerSidebar-sectionHeader';
    button.setAttribute('aria-controls', body.id);
    const caret = caretDownIcon.element({
      className: 'jp-NeuroglancerSidebar-caret',
      tag: 'span'
    });
    const title = document.createElement('span');
    title.textContent = label;
    button.append(caret, title);
    button.addEventListener('click', () => this.toggle());
    this._button = button;

    this.addWidget(new Widget({ node: button }));
    this.addWidget(body);
    this._update();
  }

  /** The section's content. */
  readonly body: Widget;

  /** Whether the body is folded away. */
  get collapsed(): boolean {
    return this.body.isHidden;
  }

  /** Fold the body away, or show it again. */
  toggle(): void {
    this.body.setHidden(!this.body.isHidden);
    this._update();
  }

  private _update(): void {
    const expanded = !this.body.isHidden;
    this._button.setAttribute('aria-expanded', String(expanded));
    this.toggleClass('jp-mod-collapsed', !expanded);
  }

  private _button: HTMLButtonElement;
}

export namespace CollapsibleSection {
  export interface IOptions {
    /** The section's title (translated). */
    label: string;
    /** The content; it needs an `id` (the header button controls it). */
    body: Widget;
  }
}
