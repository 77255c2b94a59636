// The viridis colormap (van der Walt & Smith, CC0), as matplotlib ships it:
// 256 sRGB entries.
#ifndef NSP_COLORMAP_H
#define NSP_COLORMAP_H

#include <stdint.h>

// The 256-entry table, RGB bytes (entry i = round(255 * matplotlib's value)).
extern const uint8_t nsp_viridis_rgb[256][3];

// Maps value v in [lo, hi] to a viridis entry, writing RGBA with alpha 255.
// v is clamped to [lo, hi]; hi <= lo (or a NaN bound) maps everything to
// entry 0; NaN v maps to a transparent pixel (0, 0, 0, 0). The index is
// min(255, floor(t * 256)) with t = (v - lo) / (hi - lo), as matplotlib's
// Colormap.__call__ does; with an infinite bound, finite v below hi get entry 0.
// Note matplotlib's own bytes=True output truncates (255 * v) instead of
// rounding, so it differs from this table by one in most entries.
void nsp_viridis_rgba(double v, double lo, double hi, uint8_t rgba[4]);

#endif
