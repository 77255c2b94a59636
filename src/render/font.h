// The built-in bitmap font for the dock's labels: printable ASCII 32..126 in
// 5x7 glyphs (with a descender row) on 6x8 cells, written for nsplay.
//
// GL-free: it only describes the glyphs and lays them out in an atlas image;
// render_gl.c uploads the atlas as an R8 texture and draws one textured quad
// a character. Characters outside 32..126 are drawn as '?'.
#ifndef NSP_FONT_H
#define NSP_FONT_H

#include <stdint.h>

#define NSP_FONT_FIRST 32
#define NSP_FONT_LAST 126
#define NSP_FONT_CELL_W 6   // Pixels a character advances at scale 1 (glyph 5 + gap 1).
#define NSP_FONT_CELL_H 8   // Cell height: cap height 7 + descender row.
#define NSP_FONT_ATLAS_COLS 16
#define NSP_FONT_ATLAS_W (NSP_FONT_ATLAS_COLS * NSP_FONT_CELL_W)
#define NSP_FONT_ATLAS_H (6 * NSP_FONT_CELL_H)

// Fills atlas (NSP_FONT_ATLAS_W * NSP_FONT_ATLAS_H bytes, rows top first)
// with 255 on lit texels and 0 elsewhere.
void nsp_font_atlas(uint8_t *atlas);

// The top-left texel of character c's cell in the atlas.
void nsp_font_cell(int c, int *x, int *y);

// Whether texel (col, row) of character c's glyph is lit; col in 0..5, row
// in 0..7, row 0 at the top. Out-of-range cells are unlit.
int nsp_font_lit(int c, int col, int row);

#endif
