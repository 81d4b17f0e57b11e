"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE): local histogram equalization."""

import numbers

import torch
import torch.nn.functional as F

from kerasish.layers.preprocessing.image.color_utils import BaseColorLayer, check_value_range


def _tile_lookup_tables(tiles, tile_pixels, clip_limit):
    """Clipped, redistributed and normalised cumulative histograms `(..., 256)` of `tiles`
    (integer values in [0, 255], pixels on the last axis)."""
    hists = torch.zeros(tiles.shape[:-1] + (256,), dtype=torch.float32, device=tiles.device)
    hists.scatter_add_(-1, tiles.long(), torch.ones_like(tiles, dtype=torch.float32))
    if clip_limit > 0:
        limit = torch.tensor(clip_limit * tile_pixels / 256.0, dtype=hists.dtype)
        clipped = torch.clamp(hists, min=0, max=limit)
        excess = torch.sum(hists - clipped, dim=-1, keepdim=True)
        hists = clipped + excess / 256.0
    cdf = torch.cumsum(hists, dim=-1)
    cdf_min = torch.amin(cdf, dim=-1, keepdim=True)
    denominator = torch.tensor(tile_pixels, dtype=cdf.dtype) - cdf_min
    denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
    return torch.clamp((cdf - cdf_min) * 255.0 / denominator, 0, 255)


def _grid(length, tile, grid):
    """Interpolation corners (indices into the edge-padded tile grid) and weights along one
    axis of `length` padded pixels."""
    pos = (torch.arange(length, dtype=torch.float32) - tile / 2.0) / tile + 1.0
    low = torch.floor(pos)
    weight = pos - low
    return (low.clamp(0, grid + 1).long(), (low + 1.0).clamp(0, grid + 1).long(), weight)


def _interpolate(cdf, padded, tile, grid):
    """Each pixel of `padded` (batch, h, w, channels) mapped through the four nearest tiles'
    tables `cdf` (batch, grid_h + 2, grid_w + 2, channels, 256), bilinearly."""
    batch, height, width, channels = padded.shape
    device = padded.device
    y0, y1, wy = (t.to(device) for t in _grid(height, tile[0], grid[0]))
    x0, x1, wx = (t.to(device) for t in _grid(width, tile[1], grid[1]))
    # Flat indices: one gather per corner is much faster than 5-dimensional fancy indexing.
    stride_x = 256 * channels
    stride_y = stride_x * (grid[1] + 2)
    base = (torch.arange(batch, device=device).view(-1, 1, 1, 1) * (stride_y * (grid[0] + 2))
            + torch.arange(channels, device=device).view(1, 1, 1, -1) * 256
            + padded.clamp(0, 255).to(torch.int32).long())
    rows = [(y * stride_y).view(1, -1, 1, 1) for y in (y0, y1)]
    cols = [(x * stride_x).view(1, 1, -1, 1) for x in (x0, x1)]
    flat = cdf.reshape(-1)
    nw, ne, sw, se = (flat.take(base + r + c) for r in rows for c in cols)
    wy, wx = wy.view(1, -1, 1, 1), wx.view(1, 1, -1, 1)
    top = nw * (1.0 - wx) + ne * wx
    bottom = sw * (1.0 - wx) + se * wx
    return top * (1.0 - wy) + bottom * wy


class ContrastLimitedAdaptiveHistogramEqualization(BaseColorLayer):
    """Contrast-limited adaptive histogram equalization (CLAHE).

    The image is cut into a `tile_grid_size` grid of tiles; each tile's histogram is clipped at
    `clip_limit` times the mean bin height (the excess spread over all bins) and equalized, and
    each pixel is mapped by bilinear interpolation between the four nearest tiles' mappings.
    The layer is deterministic and applies in inference too, as in Keras.

    Args:
        value_range: the range of the input values. Defaults to `(0, 255)`.
        clip_limit: the contrast limit (0 or less: plain adaptive equalization).
            Defaults to `4.0`.
        tile_grid_size: `(rows, columns)` of tiles. Defaults to `(8, 8)`.
        data_format: "channels_last" or "channels_first".

    Example:

    ```python
    layer = kerasish.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
    out = layer(np.random.uniform(0, 255, (2, 16, 16, 3)))
    ```
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8),
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = check_value_range(value_range, sort=False)
        if not isinstance(clip_limit, numbers.Real) or isinstance(clip_limit, bool):
            raise ValueError("`clip_limit` should be a number. "
                             f"Received: clip_limit={clip_limit!r}")
        if (not isinstance(tile_grid_size, (tuple, list)) or len(tile_grid_size) != 2 or not all(
                isinstance(g, numbers.Integral) and g > 0 for g in tile_grid_size)):
            raise ValueError("`tile_grid_size` should be two positive integers. "
                             f"Received: tile_grid_size={tile_grid_size!r}")
        self.clip_limit = clip_limit
        self.tile_grid_size = tuple(tile_grid_size)

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast_images(images)
        if self.data_format == "channels_first":
            images = images.permute(0, 2, 3, 1)
        x = self._transform_value_range(images, self.value_range, (0, 255), "float32")
        x = self._clahe(x)
        x = self._transform_value_range(x, (0, 255), self.value_range, "float32").to(images.dtype)
        return x.permute(0, 3, 1, 2) if self.data_format == "channels_first" else x

    def _clahe(self, images):
        batch, height, width, channels = images.shape
        grid_h, grid_w = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
        padded = images
        if pad_h or pad_w:
            # Keras's torch backend pads 'symmetric' as 'replicate' (edge values).
            flat = images.permute(0, 3, 1, 2).reshape(-1, height, width)
            flat = F.pad(flat, (0, pad_w, 0, pad_h), mode="replicate")
            padded = flat.reshape(batch, channels, height + pad_h, width + pad_w)
            padded = padded.permute(0, 2, 3, 1)
        tiles = padded.reshape(batch, grid_h, tile_h, grid_w, tile_w, channels)
        tiles = tiles.permute(0, 1, 3, 5, 2, 4).reshape(batch, grid_h, grid_w, channels, -1)
        cdf = _tile_lookup_tables(tiles.to(torch.int32).clamp(0, 255), tile_h * tile_w,
                                  self.clip_limit)
        # One more tile on every side (copies of the edge tiles) for the interpolation.
        cdf = torch.cat([cdf[:, :1], cdf, cdf[:, -1:]], dim=1)
        cdf = torch.cat([cdf[:, :, :1], cdf, cdf[:, :, -1:]], dim=2)
        result = _interpolate(cdf, padded, (tile_h, tile_w), (grid_h, grid_w))
        return result[:, :height, :width, :]

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "clip_limit": self.clip_limit,
                       "tile_grid_size": self.tile_grid_size, "data_format": self.data_format})
        return config
