"""`kerasish.visualization` (Keras 3's module): draw boxes and masks on image batches, and plot
galleries with matplotlib (optional: `pip install matplotlib`; `draw_bounding_boxes` needs OpenCV,
as in Keras)."""

from kerasish.visualization.draw import draw_bounding_boxes, draw_segmentation_masks  # noqa: F401
from kerasish.visualization.galleries import (  # noqa: F401
    plot_bounding_box_gallery, plot_image_gallery, plot_segmentation_mask_gallery,
)
