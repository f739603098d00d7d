import { LabIcon } from '@jupyterlab/ui-components';

import neuroglancerSvg from '../style/icons/neuroglancer.svg';

/**
 * The icon of Neuroglancer panels, commands and the sidebar.
 */
export const neuroglancerIcon = new LabIcon({
  name: 'jupyterlab_neuroglancer:neuroglancer',
  svgstr: neuroglancerSvg
});
