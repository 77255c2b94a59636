// Reads back text drawn in nsplay's built-in font (render/font.h) from a
// PNG, as tests/viewer_test.sh reads the viewer's overlays from its
// screenshot: for each character cell of a panel, the font texels are
// sampled at their centres, a texel is lit where every channel is above 200
// (the overlays draw white text on a dark box), and the cell is the glyph
// whose texels match exactly ('~' when none does, ' ' when none is lit).
//
// usage: overlay_text PNG X Y SCALE LINES COLUMNS
// X, Y: the first cell's top-left pixel; SCALE: pixels a font texel; each
// line NSP_TEXT_GL_LINE_H * SCALE pixels below the last. Prints LINES lines,
// trailing spaces trimmed. Exit status 0, or 1 (the PNG cannot be read or
// the panel does not fit in it), 2 bad usage.
#include <stdio.h>
#include <stdlib.h>

#include "render/font.h"
#include "render/image.h"
#include "render/text_gl.h"

static int lit(const nsp_image_t *img, int x, int y) {
    const uint8_t *p = img->rgba + ((size_t)y * (size_t)img->w + (size_t)x) * 4;
    return p[0] > 200 && p[1] > 200 && p[2] > 200;
}

static char read_cell(const nsp_image_t *img, int x0, int y0, int scale) {
    int any = 0;
    for (int c = NSP_FONT_FIRST; c <= NSP_FONT_LAST; c++) {
        int match = 1;
        for (int row = 0; row < NSP_FONT_CELL_H && match; row++) {
            for (int col = 0; col < NSP_FONT_CELL_W && match; col++) {
                int on = lit(img, x0 + col * scale + scale / 2, y0 + row * scale + scale / 2);
                any |= on;
                match = on == nsp_font_lit(c, col, row);
            }
        }
        if (match) {
            return (char)c;
        }
    }
    return any ? '~' : ' ';
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: overlay_text PNG X Y SCALE LINES COLUMNS\n");
        return 2;
    }
    int x = atoi(argv[2]), y = atoi(argv[3]), scale = atoi(argv[4]), lines = atoi(argv[5]), cols = atoi(argv[6]);
    if (scale < 1 || lines < 1 || cols < 1 || cols > 256 || x < 0 || y < 0) {
        fprintf(stderr, "overlay_text: bad panel (scale, lines and columns >= 1, at most 256 columns)\n");
        return 2;
    }
    nsp_image_t img;
    if (nsp_image_read_png(&img, argv[1]) != 0) {
        return 1;
    }
    int status = 0;
    if (x + cols * NSP_FONT_CELL_W * scale > img.w ||
        y + ((lines - 1) * NSP_TEXT_GL_LINE_H + NSP_FONT_CELL_H) * scale > img.h) {
        fprintf(stderr, "overlay_text: a %d x %d panel at (%d, %d) does not fit in %s (%d x %d)\n", cols, lines, x, y,
                argv[1], img.w, img.h);
        status = 1;
    }
    for (int line = 0; line < lines && status == 0; line++) {
        char text[257];
        int end = 0;
        for (int col = 0; col < cols; col++) {
            text[col] = read_cell(&img, x + col * NSP_FONT_CELL_W * scale, y + line * NSP_TEXT_GL_LINE_H * scale, scale);
            end = text[col] != ' ' ? col + 1 : end;
        }
        text[end] = '\0';
        printf("%s\n", text);
    }
    nsp_image_destroy(&img);
    return status;
}
