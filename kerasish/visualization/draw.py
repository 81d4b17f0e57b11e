"""Drawing on batches of images: segmentation masks (numpy) and bounding boxes (OpenCV), with
Keras 3.15's arguments, colours and blending."""

import numpy as np
import torch

from kerasish.backend import config

try:
    import cv2
except ImportError:
    cv2 = None


def _numpy(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def _check_batched(images):
    shape = tuple(np.shape(images))
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    return shape


def draw_segmentation_masks(images, segmentation_masks, num_classes=None, color_mapping=None,
                            alpha=0.8, blend=True, ignore_index=-1, data_format=None):
    """Colours each pixel of `images` by its class in `segmentation_masks`.

    Args:
        images: a batch of images `(batch, height, width, channels)` (channels-first with
            `data_format="channels_first"`).
        segmentation_masks: integer masks `(batch, height, width, 1)`.
        num_classes: the number of classes. Defaults to the largest label plus one.
        color_mapping: `{class: (r, g, b)}`. Defaults to Keras's generated palette.
        alpha: the mask's weight when blending. Defaults to `0.8`.
        blend: blend the colours with the image (uint8 output); else return the colour image.
        ignore_index: the label of pixels left unchanged. Defaults to `-1`.
        data_format: defaults to `image_data_format()`.

    Returns:
        A numpy array of the images with the masks drawn.

    Example:

    >>> images = np.zeros((1, 4, 4, 3), "uint8")
    >>> masks = np.zeros((1, 4, 4, 1), "int32")
    >>> masks[0, :2] = 1  # the top half is class 1
    >>> colors = {0: (0, 0, 0), 1: (255, 0, 0)}
    >>> drawn = keras.visualization.draw_segmentation_masks(images, masks, color_mapping=colors,
    ...                                                     alpha=1.0)
    >>> drawn[0, 0, 0], drawn[0, 3, 0]
    (array([255,   0,   0], dtype=uint8), array([0, 0, 0], dtype=uint8))
    """
    data_format = data_format or config.image_data_format()
    _check_batched(images)
    images, masks = _numpy(images), _numpy(segmentation_masks)
    if data_format == "channels_first":
        images, masks = images.transpose(0, 2, 3, 1), masks.transpose(0, 2, 3, 1)
    images = images.astype("float32")
    if masks.dtype.kind not in "iu":
        raise TypeError("`segmentation_masks` must be in integer dtype. "
                        f"Received: segmentation_masks.dtype={masks.dtype}")
    drawn_labels = masks[masks != ignore_index]
    largest = int(drawn_labels.max()) if drawn_labels.size else -1
    if num_classes is None:
        # Keras 3.15 takes the largest label as the count, and its torch backend then fails on
        # that label; every label present gets a colour here.
        num_classes = largest + 1
    elif largest >= num_classes:
        raise ValueError(f"`segmentation_masks` holds label {largest}, which needs "
                         f"num_classes > {largest}. Received: num_classes={num_classes}")
    colors = _color_palette(num_classes) if color_mapping is None else \
        [color_mapping[i] for i in range(num_classes)]
    valid = np.squeeze(masks != ignore_index, axis=-1)
    labels = masks[..., 0]
    drawn = images.copy()
    for c, color in enumerate(colors):
        drawn[labels == c] = np.asarray(color, dtype=drawn.dtype)[None, :]
    if not blend:
        return drawn
    out = images * (1 - alpha) + drawn * alpha
    out = np.where(valid[..., None], out, images)
    # Keras casts float to uint8 with torch's truncation toward zero (and wrap-around).
    return torch.from_numpy(np.ascontiguousarray(out, dtype="float32")).to(torch.uint8).numpy()


def _color_palette(num_classes):
    palette = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [((i * palette) % 255).tolist() for i in range(num_classes)]


def draw_bounding_boxes(images, bounding_boxes, bounding_box_format, class_mapping=None,
                        color=(128, 128, 128), line_thickness=2, text_thickness=1, font_scale=1.0,
                        data_format=None):
    """Draws boxes (and class names) on a batch of images with OpenCV, as Keras does.

    Args:
        images: a batch of images; float images in `[0, 1]` are scaled to `[0, 255]`.
        bounding_boxes: `{"boxes": (batch, n, 4), "labels": (batch, n)}` and optionally
            `"confidences"`; label `-1` marks padding.
        bounding_box_format: the boxes' format (`"xyxy"`, `"xywh"`, `"rel_yxyx"`, ...).
        class_mapping: `{class: name}` for the labels drawn above the boxes.
        color, line_thickness, text_thickness, font_scale: drawing style.
        data_format: defaults to `image_data_format()`.

    Returns:
        A uint8 numpy array of the images with the boxes drawn.

    Example:

    ```python
    images = np.zeros((1, 64, 64, 3), dtype="float32")
    boxes = {"boxes": np.array([[[8, 8, 40, 32]]]), "labels": np.array([[0]])}
    drawn = kerasish.visualization.draw_bounding_boxes(
        images, boxes, bounding_box_format="xyxy", class_mapping={0: "cat"}, color=(255, 0, 0))
    drawn.shape, drawn.dtype  # ((1, 64, 64, 3), dtype('uint8')), a red box and "cat"
    ```
    """
    if cv2 is None:
        raise ImportError("`draw_bounding_boxes` requires OpenCV (`cv2`), as in Keras. Install it "
                          "with `pip install opencv-python`.")
    from kerasish.utils.bounding_boxes import convert_format

    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    data_format = data_format or config.image_data_format()
    shape = _check_batched(images)
    if not isinstance(bounding_boxes, dict):
        raise TypeError(f"`bounding_boxes` should be a dict. Received: bounding_boxes={bounding_boxes!r} "
                        f"of type {type(bounding_boxes)}")
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError("`bounding_boxes` should be a dict containing 'boxes' and 'labels' keys. "
                         f"Received: bounding_boxes={bounding_boxes!r}")
    height, width = (shape[1], shape[2]) if data_format == "channels_last" else (shape[2], shape[3])
    boxes_dict = convert_format(dict(bounding_boxes), bounding_box_format, "xyxy", height, width)
    images = _uint8_images(_numpy(images))
    boxes, labels = _numpy(boxes_dict["boxes"]), _numpy(boxes_dict["labels"])
    confidences = _numpy(bounding_boxes["confidences"]) if "confidences" in bounding_boxes else None
    result = []
    for i in range(images.shape[0]):
        image = images[i]
        for j in range(boxes[i].shape[0]):
            x1, y1, x2, y2 = (int(v) for v in boxes[i][j].astype("int32"))
            c = int(labels[i][j])
            if c == -1:
                continue
            cv2.rectangle(image, (x1, y1), (x2, y2), color, line_thickness)
            if c in class_mapping:
                label = class_mapping[c]
                if confidences is not None:
                    label = f"{label} | {confidences[i][j]:.2f}"
                cv2.putText(img=image, text=label, org=_text_location(x1, y1, font_scale, text_thickness),
                            fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=font_scale, color=color,
                            thickness=text_thickness)
        result.append(image)
    return np.stack(result, axis=0)


def _uint8_images(images):
    if images.dtype.kind == "f" and images.size > 0:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    return images.astype("uint8")


def _text_location(x, y, font_scale, thickness):
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8
    return x + 3, y + 2 * font_height + thickness + 3
