#include "text_gl.h"

#include <epoxy/gl.h>
#include <string.h>

#include "core/error.h"
#include "font.h"
#include "render_gl.h"

// Vertices: x, y in target pixels and the atlas coordinate u, v. The box is
// the first quad, its uv unused.
#define FLOATS_PER_VERTEX 4
#define VERTICES (6 * (NSP_TEXT_GL_MAX_CHARS + 1))

// Mode 0: the box, u_color. Mode 1: glyphs, u_color where the atlas is lit;
// nothing elsewhere, so the text's pixels are exactly u_color.
static const char *const FS =
    "#version 330 core\n"
    "in vec2 v_uv;\n"
    "uniform sampler2D u_tex;\n"
    "uniform vec4 u_color;\n"
    "uniform int u_mode;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    if (u_mode == 1 && texture(u_tex, v_uv).r < 0.5) discard;\n"
    "    o_color = u_color;\n"
    "}\n";

int nsp_text_gl_init(nsp_text_gl_t *t) {
    memset(t, 0, sizeof *t);
    // The backend's textured-quad vertex shader, with a fragment shader of
    // its own.
    t->prog = nsp_render_gl_link_program(nsp_render_gl_textured_vs, FS, "text overlay");
    if (!t->prog) {
        return NSP_EGL;
    }
    t->loc_xform = glGetUniformLocation(t->prog, "u_xform");
    t->loc_color = glGetUniformLocation(t->prog, "u_color");
    t->loc_mode = glGetUniformLocation(t->prog, "u_mode");
    glUseProgram(t->prog);
    glUniform1i(glGetUniformLocation(t->prog, "u_tex"), 0);

    glGenVertexArrays(1, &t->vao);
    glGenBuffers(1, &t->vbo);
    glBindVertexArray(t->vao);
    glBindBuffer(GL_ARRAY_BUFFER, t->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(VERTICES * FLOATS_PER_VERTEX * sizeof(float)), NULL, GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, FLOATS_PER_VERTEX * sizeof(float), (void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, FLOATS_PER_VERTEX * sizeof(float), (void *)(2 * sizeof(float)));
    glBindVertexArray(0);

    static uint8_t atlas[NSP_FONT_ATLAS_W * NSP_FONT_ATLAS_H];
    nsp_font_atlas(atlas);
    glGenTextures(1, &t->tex);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, t->tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, NSP_FONT_ATLAS_W, NSP_FONT_ATLAS_H, 0, GL_RED, GL_UNSIGNED_BYTE, atlas);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    GLenum e = glGetError();
    if (e != GL_NO_ERROR) {
        nsp_log(NSP_LOG_ERROR, "GL: text overlay set-up failed: GL error 0x%04x", (unsigned)e);
        nsp_text_gl_destroy(t);
        return NSP_EGL;
    }
    return 0;
}

void nsp_text_gl_destroy(nsp_text_gl_t *t) {
    if (t->tex) {
        glDeleteTextures(1, &t->tex);
    }
    if (t->vbo) {
        glDeleteBuffers(1, &t->vbo);
    }
    if (t->vao) {
        glDeleteVertexArrays(1, &t->vao);
    }
    if (t->prog) {
        glDeleteProgram(t->prog);
    }
    memset(t, 0, sizeof *t);
}

static float *quad(float *v, float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1) {
    const float q[6][4] = {{x0, y0, u0, v0}, {x1, y0, u1, v0}, {x1, y1, u1, v1},
                           {x0, y0, u0, v0}, {x1, y1, u1, v1}, {x0, y1, u0, v1}};
    memcpy(v, q, sizeof q);
    return v + 6 * FLOATS_PER_VERTEX;
}

void nsp_text_gl_draw(nsp_text_gl_t *t, int target_w, int target_h, int x, int y, int scale, const char *text) {
    // Filled on each call; static so that a panel allocates nothing.
    static float v[VERTICES * FLOATS_PER_VERTEX];
    const float cw = (float)(NSP_FONT_CELL_W * scale), ch = (float)(NSP_FONT_CELL_H * scale);
    const float line_h = (float)(NSP_TEXT_GL_LINE_H * scale), pad = (float)(NSP_TEXT_GL_PAD * scale);
    float *p = v + 6 * FLOATS_PER_VERTEX;  // After the box.
    int glyphs = 0, cols = 0, col = 0, lines = 1;
    for (const char *s = text; *s; s++) {
        if (*s == '\n') {
            lines++;
            col = 0;
            continue;
        }
        float gx = (float)x + pad + (float)col * cw, gy = (float)y + pad + (float)(lines - 1) * line_h;
        col++;
        cols = col > cols ? col : cols;
        if (*s == ' ' || glyphs == NSP_TEXT_GL_MAX_CHARS) {
            continue;
        }
        int ax, ay;
        nsp_font_cell((unsigned char)*s, &ax, &ay);
        p = quad(p, gx, gy, gx + cw, gy + ch, (float)ax / NSP_FONT_ATLAS_W, (float)ay / NSP_FONT_ATLAS_H,
                 (float)(ax + NSP_FONT_CELL_W) / NSP_FONT_ATLAS_W, (float)(ay + NSP_FONT_CELL_H) / NSP_FONT_ATLAS_H);
        glyphs++;
    }
    // The last line's gap is not padding: the box ends at its cell's bottom.
    float bw = 2.0f * pad + (float)cols * cw - (float)scale;
    float bh = 2.0f * pad + (float)(lines - 1) * line_h + ch;
    quad(v, (float)x, (float)y, (float)x + bw, (float)y + bh, 0, 0, 0, 0);

    glViewport(0, 0, target_w, target_h);
    glDisable(GL_SCISSOR_TEST);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(t->prog);
    // Target pixels (y down) to NDC.
    glUniform4f(t->loc_xform, 2.0f / (float)target_w, -2.0f / (float)target_h, -1.0f, 1.0f);
    glBindVertexArray(t->vao);
    glBindBuffer(GL_ARRAY_BUFFER, t->vbo);
    glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)((size_t)(glyphs + 1) * 6 * FLOATS_PER_VERTEX * sizeof(float)), v);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, t->tex);
    glUniform1i(t->loc_mode, 0);
    glUniform4f(t->loc_color, 0.0f, 0.0f, 0.0f, 0.75f);
    glDrawArrays(GL_TRIANGLES, 0, 6);
    glUniform1i(t->loc_mode, 1);
    glUniform4f(t->loc_color, 1.0f, 1.0f, 1.0f, 1.0f);
    glDrawArrays(GL_TRIANGLES, 6, 6 * glyphs);
    glBindVertexArray(0);
}
