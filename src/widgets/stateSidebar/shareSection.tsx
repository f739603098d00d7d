/**
 * The "Share" section: a link to the current state on a public Neuroglancer host (a setting),
 * with a copy button, and a warning naming the layers whose data only resolve on this server.
 */
import { Clipboard } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon, launchIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  ILocalSource,
  localOnlySources,
  LocalSourceReason,
  shareLink
} from '../../models/shareLink';
import { ISectionProps } from './section';

/**
 * The share link of the followed viewer.
 */
export function ShareSection({ model, trans }: ISectionProps): JSX.Element {
  const [copied, setCopied] = React.useState(false);
  const state = model.state;
  if (!state) {
    return (
      <p className="jp-NeuroglancerSidebar-note">{trans.__('Loading…')}</p>
    );
  }
  const link = shareLink(model.shareHost, state);
  if (link === null) {
    return (
      <p className="jp-NeuroglancerSidebar-error" role="alert">
        {trans.__(
          'The share host "%1" is not an http(s) URL. Set "Neuroglancer host for share links" in Settings › Neuroglancer State Sidebar, for example https://neuroglancer-demo.appspot.com.',
          model.shareHost
        )}
      </p>
    );
  }
  const local = localOnlySources(state, model.server);
  const copy = () => {
    Clipboard.copyToSystem(link);
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div className="jp-NeuroglancerSidebar-share">
      <div className="jp-NeuroglancerSidebar-hint">
        {trans.__('A link to this view on %1', new URL(link).host)}
      </div>
      <div className="jp-NeuroglancerSidebar-shareRow">
        <input
          className="jp-NeuroglancerSidebar-shareLink jp-mod-styled"
          type="text"
          readOnly
          value={link}
          aria-label={trans.__('Share link')}
          onFocus={event => event.currentTarget.select()}
        />
        <button
          type="button"
          className="jp-NeuroglancerSidebar-iconButton jp-mod-styled"
          data-action="copy-link"
          title={trans.__('Copy the link')}
          aria-label={trans.__('Copy the link')}
          onClick={copy}
        >
          <copyIcon.react tag="span" />
          <span>{copied ? trans.__('Copied') : trans.__('Copy')}</span>
        </button>
        <a
          className="jp-NeuroglancerSidebar-iconButton"
          href={link}
          target="_blank"
          rel="noopener noreferrer"
          title={trans.__('Open the link in a new browser tab')}
          aria-label={trans.__('Open the link in a new browser tab')}
        >
          <launchIcon.react tag="span" />
        </a>
      </div>
      {local.length > 0 && (
        <LocalSourcesWarning sources={local} trans={trans} />
      )}
    </div>
  );
}

function LocalSourcesWarning(props: {
  sources: ILocalSource[];
  trans: TranslationBundle;
}): JSX.Element {
  const { sources, trans } = props;
  const layers = Array.from(new Set(sources.map(source => source.layer)));
  return (
    <div className="jp-NeuroglancerSidebar-warning" role="note">
      <p>
        {trans._n(
          'Someone else opening this link will not see the layer %2: its data only resolves on this server.',
          'Someone else opening this link will not see %1 layers (%2): their data only resolve on this server.',
          layers.length,
          layers.map(layer => `"${layer}"`).join(', ')
        )}
      </p>
      <ul>
        {sources.map((source, index) => (
          <li key={index} title={source.url}>
            <strong>{source.layer}</strong>: {reasonText(source.reason, trans)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function reasonText(
  reason: LocalSourceReason,
  trans: TranslationBundle
): string {
  switch (reason) {
    case 'python':
      return trans.__(
        'served by the Python process that holds this viewer (python://)'
      );
    case 'server':
      return trans.__('a URL on this Jupyter server');
    case 'localhost':
      return trans.__('a localhost URL, which means their own computer');
  }
}
