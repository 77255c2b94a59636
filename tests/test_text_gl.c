// The viewer's text panels (render/text_gl.h) drawn offscreen on a headless
// context: glyph texels exactly white where the font lights them, the box
// darkening what is under it, its edges where the header says, nothing
// outside. Exits 77 (skipped) when no context can be made.
#include <epoxy/gl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "platform/platform.h"
#include "render/font.h"
#include "render/text_gl.h"
#include "headless_gl.h"

#define TARGET_W 200
#define TARGET_H 100
#define GREY 128
#define X0 10
#define Y0 10
#define SCALE 2

static nsp_platform_t platform;
static uint8_t pixels[TARGET_W * TARGET_H * 4];

// Clears the target to GREY, draws text and reads the target back.
static void draw(nsp_text_gl_t *t, const char *text) {
    glViewport(0, 0, TARGET_W, TARGET_H);
    glClearColor(GREY / 255.0f, GREY / 255.0f, GREY / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    nsp_text_gl_draw(t, TARGET_W, TARGET_H, X0, Y0, SCALE, text);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, TARGET_W, TARGET_H, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    assert_int_equal(glGetError(), GL_NO_ERROR);
}

// Red channel of pixel (x, y), y down (the read-back is bottom row first).
static int red(int x, int y) {
    return pixels[((size_t)(TARGET_H - 1 - y) * TARGET_W + (size_t)x) * 4];
}

// Checks character c's cell at pixel (x, y): lit texels white, unlit ones
// the box's darkened grey.
static void assert_glyph(int c, int x, int y) {
    for (int row = 0; row < NSP_FONT_CELL_H; row++) {
        for (int col = 0; col < NSP_FONT_CELL_W; col++) {
            int v = red(x + col * SCALE + SCALE / 2, y + row * SCALE + SCALE / 2);
            if (nsp_font_lit(c, col, row)) {
                assert_int_equal(v, 255);
            } else {
                assert_in_range(v, 28, 36);  // GREY under a 0.75-alpha black box.
            }
        }
    }
}

static void test_glyphs_and_box(void **state) {
    (void)state;
    nsp_text_gl_t t;
    assert_int_equal(nsp_text_gl_init(&t), 0);
    draw(&t, "Ag\n1");
    const int pad = NSP_TEXT_GL_PAD * SCALE, cw = NSP_FONT_CELL_W * SCALE;
    assert_glyph('A', X0 + pad, Y0 + pad);
    assert_glyph('g', X0 + pad + cw, Y0 + pad);
    assert_glyph('1', X0 + pad, Y0 + pad + NSP_TEXT_GL_LINE_H * SCALE);
    // The box: two columns wide less the last gap, two lines high less the
    // last line's gap, padded all round.
    const int right = X0 + 2 * pad + 2 * cw - SCALE;
    const int bottom = Y0 + 2 * pad + NSP_TEXT_GL_LINE_H * SCALE + NSP_FONT_CELL_H * SCALE;
    assert_in_range(red(X0, Y0), 28, 36);
    assert_in_range(red(right - 1, bottom - 1), 28, 36);
    assert_int_equal(red(X0 - 1, Y0), GREY);
    assert_int_equal(red(X0, Y0 - 1), GREY);
    assert_int_equal(red(right, Y0 + pad), GREY);
    assert_int_equal(red(X0 + pad, bottom), GREY);
    assert_int_equal(red(TARGET_W - 1, TARGET_H - 1), GREY);
    nsp_text_gl_destroy(&t);
}

static void test_unknown_character_is_question_mark(void **state) {
    (void)state;
    nsp_text_gl_t t;
    assert_int_equal(nsp_text_gl_init(&t), 0);
    draw(&t, "\x01");
    assert_glyph('?', X0 + NSP_TEXT_GL_PAD * SCALE, Y0 + NSP_TEXT_GL_PAD * SCALE);
    nsp_text_gl_destroy(&t);
}

static void test_destroy_zeroed(void **state) {
    (void)state;
    nsp_text_gl_t t;
    memset(&t, 0, sizeof t);
    nsp_text_gl_destroy(&t);
    assert_int_equal(nsp_text_gl_init(&t), 0);
    assert_int_not_equal(t.prog, 0);
    nsp_text_gl_destroy(&t);
    assert_int_equal(t.prog, 0);
    assert_int_equal(t.vbo, 0);
    assert_int_equal(t.tex, 0);
}

int main(void) {
    int status = headless_gl_or_status(&platform, TARGET_W, TARGET_H);
    if (status) {
        return status;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glyphs_and_box),
        cmocka_unit_test(test_unknown_character_is_question_mark),
        cmocka_unit_test(test_destroy_zeroed),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    nsp_platform_destroy(&platform);
    return failed ? 1 : 0;
}
