import { LabIcon } from '@jupyterlab/ui-components';

import datasetSvg from '../style/icons/neuroglancer-dataset.svg';
import stateFileSvg from '../style/icons/neuroglancer-state-file.svg';
import volumeFileSvg from '../style/icons/neuroglancer-volume-file.svg';
import neuroglancerSvg from '../style/icons/neuroglancer.svg';

/**
 * The icon of Neuroglancer panels, commands and the sidebar.
 */
export const neuroglancerIcon = new LabIcon({
  name: 'jupyterlab_neuroglancer:neuroglancer',
  svgstr: neuroglancerSvg
});

/**
 * The icon of Neuroglancer state files (`*.ng.json`) in the file browser and on their tabs.
 */
export const neuroglancerStateFileIcon = new LabIcon({
  name: 'jupyterlab_neuroglancer:state-file',
  svgstr: stateFileSvg
});

/**
 * The icon of dataset folders Neuroglancer opens (`*.zarr`, `*.ome.zarr`, `*.n5`).
 */
export const neuroglancerDatasetIcon = new LabIcon({
  name: 'jupyterlab_neuroglancer:dataset',
  svgstr: datasetSvg
});

/**
 * The icon of volume files Neuroglancer opens (NIfTI `*.nii`, `*.nii.gz`).
 */
export const neuroglancerVolumeFileIcon = new LabIcon({
  name: 'jupyterlab_neuroglancer:volume-file',
  svgstr: volumeFileSvg
});
