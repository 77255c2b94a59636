// Text panels drawn with GL over whatever is in the bound framebuffer: the
// viewer's status and help overlays. Lines of the built-in font (font.h) at
// an integer scale, white on a translucent dark box, placed in target pixels
// (y down). Separate from the backend on purpose: headless renders, golden
// frames and the backend's counters never see it.
//
// Everything is allocated at init (one program, one vertex buffer for
// NSP_TEXT_GL_MAX_CHARS glyphs, the font atlas); drawing a panel allocates
// nothing. Every call needs the OpenGL 3.3 core context that was current at
// init to be current.
#ifndef NSP_TEXT_GL_H
#define NSP_TEXT_GL_H

// Glyphs one panel may hold; characters beyond are not drawn.
#define NSP_TEXT_GL_MAX_CHARS 1024
// Pixels between the box's edge and the text, at scale 1.
#define NSP_TEXT_GL_PAD 3
// Pixels a line advances at scale 1: the font's cell and a 2-pixel gap.
#define NSP_TEXT_GL_LINE_H 10

typedef struct nsp_text_gl {
    unsigned prog, vao, vbo, tex;
    int loc_xform, loc_color, loc_mode;
} nsp_text_gl_t;

// Builds the program, the buffer and the atlas texture. Returns 0, or NSP_EGL
// (logged) when the context cannot; on error t is safe to destroy.
int nsp_text_gl_init(nsp_text_gl_t *t);

// Releases every GL object; safe on a zeroed struct (no GL call then).
void nsp_text_gl_destroy(nsp_text_gl_t *t);

// Draws text (lines separated by '\n') as one panel whose box's top-left is
// pixel (x, y) of a target_w x target_h target, each font texel scale x scale
// pixels (scale >= 1). The first character's cell starts at
// (x + NSP_TEXT_GL_PAD * scale, y + NSP_TEXT_GL_PAD * scale). Sets the
// viewport, turns scissoring off and blending on.
void nsp_text_gl_draw(nsp_text_gl_t *t, int target_w, int target_h, int x, int y, int scale, const char *text);

#endif
