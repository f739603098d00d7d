import { LabIcon } from '@jupyterlab/ui-components';

import stateSvg from '../../../style/icons/neuroglancer-state.svg';

/**
 * The state sidebar's icon: a Neuroglancer cube beside a list.
 */
export const neuroglancerStateIcon = new LabIcon({
  name: 'jupyterlab_neuroglancer:state',
  svgstr: stateSvg
});
