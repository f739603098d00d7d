/**
 * The "Layers" section: one row per layer, with its type, sources, selected segments, and a
 * visibility switch that changes the viewer at once.
 */
import * as React from 'react';

import { ILayerRow, layerRows } from '../../models/layerRows';
import { ISectionProps } from './section';

/**
 * The layer list of the followed viewer.
 */
export function LayersSection({ model, trans }: ISectionProps): JSX.Element {
  const rows = layerRows(model.state);
  if (!model.state) {
    return (
      <p className="jp-NeuroglancerSidebar-note">{trans.__('Loading…')}</p>
    );
  }
  if (rows.length === 0) {
    return (
      <p className="jp-NeuroglancerSidebar-note">
        {trans.__('This viewer has no layers.')}
      </p>
    );
  }
  return (
    <ul
      className="jp-NeuroglancerSidebar-layers"
      aria-label={trans.__('Layers')}
    >
      {rows.map(row => (
        <LayerRow
          key={row.name}
          row={row}
          trans={trans}
          onToggle={visible => model.viewer?.setLayerVisible(row.name, visible)}
        />
      ))}
    </ul>
  );
}

function LayerRow(props: {
  row: ILayerRow;
  trans: ISectionProps['trans'];
  onToggle: (visible: boolean) => void;
}): JSX.Element {
  const { row, trans, onToggle } = props;
  const details: string[] = [];
  if (row.segments) {
    details.push(
      row.segments.visible === row.segments.selected
        ? trans._n(
            '%1 segment selected',
            '%1 segments selected',
            row.segments.selected
          )
        : trans._n(
            '%1 segment selected, %2 shown',
            '%1 segments selected, %2 shown',
            row.segments.selected,
            row.segments.visible
          )
    );
  }
  if (row.archived) {
    details.push(trans.__('archived'));
  }
  return (
    <li
      className="jp-NeuroglancerSidebar-layer"
      data-layer-name={row.name}
      data-layer-visible={String(row.visible)}
    >
      <label className="jp-NeuroglancerSidebar-layerHeader">
        <input
          type="checkbox"
          className="jp-NeuroglancerSidebar-switch"
          role="switch"
          checked={row.visible}
          aria-label={trans.__('Show layer "%1"', row.name)}
          title={
            row.visible
              ? trans.__('Hide this layer')
              : trans.__('Show this layer')
          }
          onChange={event => onToggle(event.currentTarget.checked)}
        />
        <span className="jp-NeuroglancerSidebar-layerName" title={row.name}>
          {row.name}
        </span>
        <span
          className="jp-NeuroglancerSidebar-layerType"
          data-layer-type={row.type}
        >
          {row.type}
        </span>
      </label>
      {row.sources.map((source, index) => (
        <div
          key={index}
          className="jp-NeuroglancerSidebar-layerSource"
          title={source}
        >
          {source}
        </div>
      ))}
      {details.length > 0 && (
        <div className="jp-NeuroglancerSidebar-layerDetails">
          {details.join(' · ')}
        </div>
      )}
    </li>
  );
}
