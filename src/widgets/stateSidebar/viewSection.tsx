/**
 * The "View" section: the layout as a switch, the position with its units and the cross-section
 * scale, each editable (Enter or leaving the field applies; Escape cancels).
 */
import * as React from 'react';

import {
  formatNumber,
  isLayoutName,
  LAYOUTS,
  viewSummary
} from '../../models/viewSummary';
import { ISectionProps } from './section';

/**
 * The view of the followed viewer.
 */
export function ViewSection({ model, trans }: ISectionProps): JSX.Element {
  const state = model.state;
  if (!state) {
    return (
      <p className="jp-NeuroglancerSidebar-note">{trans.__('Loading…')}</p>
    );
  }
  const view = viewSummary(state);
  const update = (partial: Record<string, unknown>) =>
    model.viewer?.update(partial);
  return (
    <div className="jp-NeuroglancerSidebar-view">
      <div className="jp-NeuroglancerSidebar-field">
        <span
          className="jp-NeuroglancerSidebar-label"
          id="jp-NeuroglancerSidebar-layoutLabel"
        >
          {trans.__('Layout')}
        </span>
        <div
          className="jp-NeuroglancerSidebar-layouts"
          role="radiogroup"
          aria-labelledby="jp-NeuroglancerSidebar-layoutLabel"
        >
          {LAYOUTS.map(layout => (
            <button
              key={layout}
              type="button"
              role="radio"
              aria-checked={view.layout === layout}
              className="jp-NeuroglancerSidebar-layout"
              data-layout={layout}
              onClick={() => update({ layout })}
            >
              {layout}
            </button>
          ))}
        </div>
        {view.layout && !isLayoutName(view.layout) && (
          <span className="jp-NeuroglancerSidebar-hint">
            {trans.__('now: %1', view.layout)}
          </span>
        )}
      </div>

      <div className="jp-NeuroglancerSidebar-field">
        <span className="jp-NeuroglancerSidebar-label">
          {trans.__('Position')}
        </span>
        {view.position.length === 0 ? (
          <span className="jp-NeuroglancerSidebar-hint">
            {trans.__('No dimensions yet')}
          </span>
        ) : (
          <table className="jp-NeuroglancerSidebar-position">
            <tbody>
              {view.position.map((entry, index) => (
                <tr key={entry.name} data-dimension={entry.name}>
                  <th scope="row">{entry.name}</th>
                  <td>
                    <NumberField
                      value={entry.value}
                      label={trans.__('Position along %1', entry.name)}
                      onCommit={value => {
                        const position = view.position.map(item => item.value);
                        position[index] = value;
                        update({ position });
                      }}
                    />
                  </td>
                  <td className="jp-NeuroglancerSidebar-unit">
                    {entry.step &&
                      trans.__('× %1 = %2', entry.step, entry.physical)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <div className="jp-NeuroglancerSidebar-field">
        <span className="jp-NeuroglancerSidebar-label">
          {trans.__('Cross-section scale')}
        </span>
        <NumberField
          value={view.crossSectionScale ?? NaN}
          label={trans.__('Cross-section scale')}
          positive
          onCommit={crossSectionScale => update({ crossSectionScale })}
        />
        <span
          className="jp-NeuroglancerSidebar-hint"
          title={trans.__(
            'Neuroglancer zoom: voxels of the smallest dimension per screen pixel'
          )}
        >
          {view.crossSectionPixel
            ? trans.__('≈ %1 per pixel', view.crossSectionPixel)
            : trans.__('voxels per pixel')}
        </span>
      </div>
    </div>
  );
}

/**
 * A number input that keeps what the user types while the viewer keeps changing, and applies
 * it on Enter or when the field loses focus.
 */
function NumberField(props: {
  value: number;
  label: string;
  positive?: boolean;
  onCommit: (value: number) => void;
}): JSX.Element {
  const { value, label, positive, onCommit } = props;
  const [draft, setDraft] = React.useState<string | null>(null);
  // Only what the user typed is applied: not a value the viewer has moved on from since.
  const edited = React.useRef(false);
  const cancelled = React.useRef(false);
  const shown = Number.isFinite(value) ? formatNumber(value) : '';
  const commit = (text: string | null) => {
    setDraft(null);
    const apply = edited.current && !cancelled.current && text !== null;
    edited.current = false;
    cancelled.current = false;
    if (!apply || text === null) {
      return;
    }
    const parsed = Number(text.trim());
    if (
      text.trim() !== '' &&
      Number.isFinite(parsed) &&
      (!positive || parsed > 0)
    ) {
      onCommit(parsed);
    }
  };
  return (
    <input
      className="jp-NeuroglancerSidebar-number jp-mod-styled"
      type="text"
      inputMode="decimal"
      aria-label={label}
      value={draft ?? shown}
      onFocus={event => {
        edited.current = false;
        setDraft(shown);
        event.currentTarget.select();
      }}
      onChange={event => {
        edited.current = true;
        setDraft(event.currentTarget.value);
      }}
      onBlur={event => commit(event.currentTarget.value)}
      onKeyDown={event => {
        if (event.key === 'Enter') {
          event.currentTarget.blur();
        } else if (event.key === 'Escape') {
          cancelled.current = true;
          event.currentTarget.blur();
        }
      }}
    />
  );
}
