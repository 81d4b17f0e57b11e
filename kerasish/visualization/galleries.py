"""Image galleries with matplotlib (Keras 3.15's `plot_*_gallery` functions and arguments)."""

import functools
import math

import numpy as np

from kerasish.backend import config
from kerasish.visualization.draw import _check_batched, _numpy, draw_bounding_boxes, draw_segmentation_masks


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("The gallery functions require matplotlib. Install it with "
                          "`pip install matplotlib`.") from None
    return plt


def _to_255(images, value_range):
    images = images.astype("float32")
    low, high = value_range
    if (low, high) == (0, 255):
        return images
    return (images - low) / (high - low) * 255.0


def plot_image_gallery(images, y_true=None, y_pred=None, label_map=None, rows=None, cols=None,
                       value_range=(0, 255), scale=2, path=None, show=None, transparent=True,
                       dpi=60, legend_handles=None, data_format=None):
    """Plots a grid of images, with optional true/predicted labels as titles.

    Args:
        images: a batch `(batch, height, width, channels)`.
        y_true, y_pred: labels per image, shown through `label_map` (`{label: name}`, required
            with them).
        rows, cols: the grid. Default to a near-square grid over the batch.
        value_range: the images' value range. Defaults to `(0, 255)`.
        scale: inches per image. Defaults to `2`.
        path: save the figure there instead of showing it.
        show: show the figure. Defaults to `path is None`.
        transparent, dpi: for the saved file.
        legend_handles: matplotlib handles for a legend.
        data_format: defaults to `image_data_format()`.

    Example:

    >>> import os
    >>> images = np.random.default_rng(0).uniform(0, 255, (4, 8, 8, 3))
    >>> keras.visualization.plot_image_gallery(images, rows=2, cols=2, path="gallery.png")
    >>> os.path.exists("gallery.png")
    True
    """
    plt = _pyplot()
    if path is not None and show:
        raise ValueError(f"plot_gallery() expects either `path` to be set, or `show` to be true. "
                         f"Received: path={path!r}, show={show!r}")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError("If `y_true` or `y_pred` are provided, a `label_map` must also be provided. "
                         "Received: label_map=None")
    show = show if show is not None else path is None
    data_format = data_format or config.image_data_format()
    _check_batched(images)
    images = _numpy(images)
    batch_size = images.shape[0]
    rows = rows or int(math.ceil(math.sqrt(batch_size)))
    cols = cols or int(math.ceil(batch_size // rows))
    images = images[:min(rows * cols, batch_size)]
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    fig, axes = plt.subplots(nrows=rows, ncols=cols, figsize=(cols * scale, rows * scale),
                             frameon=False, layout="tight", squeeze=True, sharex="row", sharey="col")
    fig.subplots_adjust(wspace=0, hspace=0)
    if isinstance(axes, np.ndarray) and axes.ndim == 1:
        axes = np.expand_dims(axes, 0 if rows == 1 else -1)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    images = _to_255(images, value_range)
    y_true = None if y_true is None else _numpy(y_true)
    y_pred = None if y_pred is None else _numpy(y_pred)
    for row in range(rows):
        for col in range(cols):
            index = row * cols + col
            axis = axes[row, col] if isinstance(axes, np.ndarray) else axes
            axis.imshow(images[index].astype("uint8"))
            axis.margins(x=0, y=0)
            axis.axis("off")
            title = []
            if y_true is not None and index < len(y_true):
                title.append(f"Label: {label_map.get(y_true[index], 'Unknown')}")
            if y_pred is not None and index < len(y_pred):
                title.append(f"Pred: {label_map.get(y_pred[index], 'Unknown')}")
            if title:
                axis.set_title("  ".join(title), fontsize=8)
    if path is not None:
        plt.savefig(fname=path, pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
        plt.close()
    elif show:
        plt.show()
        plt.close()


def plot_segmentation_mask_gallery(images, num_classes, value_range=(0, 255), y_true=None,
                                   y_pred=None, color_mapping=None, blend=True, alpha=0.8,
                                   ignore_index=-1, data_format=None, **kwargs):
    """One row per image: the image, then its true and/or predicted masks drawn on it
    (`draw_segmentation_masks`); `**kwargs` go to `plot_image_gallery`.

    Example:

    >>> import os
    >>> masks = np.zeros((2, 8, 8, 1), "int32")
    >>> masks[:, :4] = 1  # the top half is class 1
    >>> keras.visualization.plot_segmentation_mask_gallery(
    ...     np.zeros((2, 8, 8, 3)), num_classes=2, y_true=masks, path="masks.png")
    >>> os.path.exists("masks.png")
    True
    """
    data_format = data_format or config.image_data_format()
    _check_batched(images)
    images = _numpy(images)
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    draw = functools.partial(draw_segmentation_masks, num_classes=num_classes,
                             color_mapping=color_mapping, alpha=alpha, ignore_index=ignore_index,
                             blend=blend, data_format="channels_last")
    drawn = []
    for masks in (y_true, y_pred):
        if masks is not None:
            masks = _numpy(masks)
            if data_format == "channels_first":
                masks = masks.transpose(0, 2, 3, 1)
            drawn.append(draw(images, masks.astype("int32")))
    gallery = []
    for i in range(images.shape[0]):
        gallery.append(images[i])
        gallery.extend(d[i] for d in drawn)
    return plot_image_gallery(np.stack(gallery, axis=0), value_range=value_range,
                              rows=images.shape[0], cols=1 + len(drawn), **kwargs)


def plot_bounding_box_gallery(images, bounding_box_format, y_true=None, y_pred=None,
                              value_range=(0, 255), true_color=(0, 188, 212),
                              pred_color=(255, 235, 59), line_thickness=2, font_scale=1.0,
                              text_thickness=None, class_mapping=None, ground_truth_mapping=None,
                              prediction_mapping=None, legend=False, legend_handles=None, rows=None,
                              cols=None, data_format=None, **kwargs):
    """A gallery of images with their true and/or predicted boxes drawn (`draw_bounding_boxes`,
    which needs OpenCV); `legend=True` adds "Ground Truth" / "Prediction" patches.

    Example:

    ```python
    images = np.random.default_rng(0).uniform(0, 255, (4, 64, 64, 3))
    truth = {"boxes": np.tile([[[8.0, 8.0, 40.0, 32.0]]], (4, 1, 1)), "labels": np.zeros((4, 1))}
    kerasish.visualization.plot_bounding_box_gallery(
        images, "xyxy", y_true=truth, class_mapping={0: "cat"}, legend=True, rows=2, cols=2,
        path="boxes.png")  # written to a file; without `path` the figure is shown
    ```
    """
    _pyplot()
    from matplotlib import patches

    data_format = data_format or config.image_data_format()
    _check_batched(images)
    plotted = _numpy(images)
    if data_format == "channels_first":
        plotted = plotted.transpose(0, 2, 3, 1)
    draw = functools.partial(draw_bounding_boxes, bounding_box_format=bounding_box_format,
                             line_thickness=line_thickness, text_thickness=text_thickness,
                             font_scale=font_scale, data_format="channels_last")
    if y_true is not None:
        plotted = draw(plotted, y_true, color=true_color,
                       class_mapping=ground_truth_mapping or class_mapping)
    if y_pred is not None:
        plotted = draw(plotted, y_pred, color=pred_color,
                       class_mapping=prediction_mapping or class_mapping)
    if legend:
        if legend_handles:
            raise ValueError("Only pass `legend` OR `legend_handles`. Received: legend=True, "
                             f"legend_handles={legend_handles!r}")
        legend_handles = [patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
                          patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction")]
    return plot_image_gallery(plotted, value_range=value_range, legend_handles=legend_handles,
                              rows=rows, cols=cols, **kwargs)
