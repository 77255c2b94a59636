#define _GNU_SOURCE  // RTLD_DEFAULT
#include "render_gl.h"

#include <assert.h>
#include <dlfcn.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epoxy/gl.h>

#include "core/error.h"
#include "font.h"

// The static vertex buffer: textured quads in canvas pixels.
typedef struct tex_vertex {
    float x, y;  // Canvas pixels, y down.
    float u, v;  // Texture coordinates, v = 0 at the texture's first row.
} tex_vertex_t;

enum {
    STATIC_BACKGROUND = 0,
    STATIC_FLOOR = STATIC_BACKGROUND + NSP_BACKGROUND_VERTICES,
    STATIC_TEXT = STATIC_FLOOR + NSP_QUAD_VERTICES,
};

// How the textured program colours a fragment (u_mode).
enum { TEX_MODE_RGBA = 0, TEX_MODE_COVERAGE = 1 };

// Test-only GL-side regressions (set_test "gl:NAME", render.h): each changes
// the calls the backend makes, none its own counters.
typedef enum test_variant {
    VARIANT_NONE,
    VARIANT_SECOND_PASS,        // The background quad drawn twice (same pixels).
    VARIANT_BLEND_BACKGROUND,   // Blending left on for the opaque background.
    VARIANT_COSTLY_BACKGROUND,  // A background shader that fetches 16 texels for 1.
    VARIANT_MID_FRAME_FINISH,   // glFinish after the background, mid-frame.
    VARIANT_RESPECIFY_TEXTURE,  // glTexImage2D instead of glTexSubImage2D each frame.
} test_variant_t;

static const char *const VARIANT_NAMES[] = {
    "none", "second_pass", "blend_background", "costly_background", "mid_frame_finish", "respecify_texture",
};

#define TEXT_SCALE 2  // Label glyphs at 2x: 12 x 16 pixel cells.
static const float TEXT_RGBA[4] = {0.9f, 0.9f, 0.9f, 1.0f};

// Positions map to clip space by one affine transform per space; round
// points take their diameter from the vertex and fade over their last pixel.
static const char *const COLOR_VS =
    "#version 330 core\n"
    "layout(location = 0) in vec2 a_pos;\n"
    "layout(location = 1) in float a_size;\n"
    "layout(location = 2) in vec4 a_color;\n"
    "uniform vec4 u_xform;\n"
    "out vec4 v_color;\n"
    "flat out float v_size;\n"
    "void main() {\n"
    "    gl_Position = vec4(a_pos * u_xform.xy + u_xform.zw, 0.0, 1.0);\n"
    "    gl_PointSize = max(a_size, 1.0);\n"
    "    v_color = a_color;\n"
    "    v_size = a_size;\n"
    "}\n";

// Triangle vertices carry size 0, so v_size > 0 means a point sprite.
static const char *const COLOR_FS =
    "#version 330 core\n"
    "in vec4 v_color;\n"
    "flat in float v_size;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    float a = v_color.a;\n"
    "    if (v_size > 0.0) {\n"
    "        float r_px = length(gl_PointCoord - vec2(0.5)) * v_size;\n"
    "        a *= clamp(0.5 * v_size - r_px + 0.5, 0.0, 1.0);\n"
    "        if (a <= 0.0) discard;\n"
    "    }\n"
    "    o_color = vec4(v_color.rgb, a);\n"
    "}\n";

// The background: under the overlays, in the field, the frame's image
// (nearest, row 0 at the bottom) -- the field, or the field already
// composited over the video by the core (nsp_composite_field_video) -- and,
// only when the core could not composite, the video frame under it (nearest,
// as napari shows images, first row at the top) at alpha 0.3 over black; in
// the dock, its panel colour. The panel is the clear colour and the field one
// opaque triangle clipped to the field, no blending: the same pixels as
// drawing video, field and panel as separate blended layers, at less than the
// floor frame's cost (its quad covers the dock's pixels too, where the frame
// only clears, and shades the tiles along its diagonal twice, once for each
// triangle; the one triangle has no diagonal inside the field).
static const char *const BG_VS =
    "#version 330 core\n"
    "layout(location = 0) in vec2 a_pos;\n"
    "layout(location = 1) in vec2 a_uv;\n"  // The field's texture coordinates.
    "uniform vec4 u_xform;\n"
    "out vec2 v_uv;\n"
    "#if NSP_VIDEO\n"
    "out vec2 v_video;\n"                   // The video's: its first row at the top.
    "#endif\n"
    "void main() {\n"
    "    gl_Position = vec4(a_pos * u_xform.xy + u_xform.zw, 0.0, 1.0);\n"
    "    v_uv = a_uv;\n"
    "#if NSP_VIDEO\n"
    "    v_video = vec2(a_uv.x, 1.0 - a_uv.y);\n"
    "#endif\n"
    "}\n";

// Compiled for the scene (NSP_VIDEO defined 0 or 1), so a frame without
// video fetches no video texel: per pixel, the field costs what the floor
// frame's quad costs (the same bare fetch: the field texture reads alpha as 1,
// and its transparent texels are black) plus only what the scene needs.
static const char *const BG_FS =
    "in vec2 v_uv;\n"
    "#if NSP_VIDEO\n"
    "in vec2 v_video;\n"
    "#endif\n"
    "uniform sampler2D u_field;\n"
    "uniform sampler2D u_video;\n"
    "uniform float u_video_alpha;\n"
    "#if NSP_COSTLY\n"
    "uniform vec2 u_zero;\n"
    "#endif\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec4 f = texture(u_field, v_uv);\n"
    // The test variant costly_background: 15 more fetches of the same texel
    // (u_zero is never set, so 0), the same pixels at a higher cost.
    "#if NSP_COSTLY\n"
    "    for (int i = 1; i < 16; i++) f = max(f, texture(u_field, v_uv + float(i) * u_zero));\n"
    "#endif\n"
    "#if NSP_VIDEO\n"
    "    vec3 under = u_video_alpha * texture(u_video, v_video).rgb;\n"
    "    o_color = vec4(mix(under, f.rgb, f.a), 1.0);\n"
    "#else\n"
    "    o_color = f;\n"
    "#endif\n"
    "}\n";

const char *const nsp_render_gl_textured_vs =
    "#version 330 core\n"
    "layout(location = 0) in vec2 a_pos;\n"
    "layout(location = 1) in vec2 a_uv;\n"
    "uniform vec4 u_xform;\n"
    "out vec2 v_uv;\n"
    "void main() {\n"
    "    gl_Position = vec4(a_pos * u_xform.xy + u_xform.zw, 0.0, 1.0);\n"
    "    v_uv = a_uv;\n"
    "}\n";

// Mode 0: the texture's colour, its alpha times u_color.a.
// Mode 1: u_color with the texture's red channel as coverage (text).
static const char *const TEX_FS =
    "#version 330 core\n"
    "in vec2 v_uv;\n"
    "uniform sampler2D u_tex;\n"
    "uniform vec4 u_color;\n"
    "uniform int u_mode;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    vec4 t = texture(u_tex, v_uv);\n"
    "    o_color = u_mode == 1 ? vec4(u_color.rgb, u_color.a * t.r) : vec4(t.rgb, t.a * u_color.a);\n"
    "}\n";

// The floor frame's program: one texel fetch a pixel and nothing else, no
// uniform, no branch, no colour arithmetic, so no faithful frame can cost less
// (the texture coordinates come from the vertices).
static const char *const FLOOR_FS =
    "#version 330 core\n"
    "in vec2 v_uv;\n"
    "uniform sampler2D u_tex;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    o_color = texture(u_tex, v_uv);\n"
    "}\n";

// The floor quad in clip space ([-1, 1]^2) with its texture coordinates, so
// the floor's vertex shader needs no transform either.
static const char *const FLOOR_VS =
    "#version 330 core\n"
    "layout(location = 0) in vec2 a_pos;\n"
    "layout(location = 1) in vec2 a_uv;\n"
    "out vec2 v_uv;\n"
    "void main() {\n"
    "    gl_Position = vec4(a_pos, 0.0, 1.0);\n"
    "    v_uv = a_uv;\n"
    "}\n";

// ---------------------------------------------------------------------------
// Set-up helpers.

static GLuint compile(GLenum type, const char *src, const char *name) {
    GLuint sh = glCreateShader(type);
    glShaderSource(sh, 1, &src, NULL);
    glCompileShader(sh);
    GLint ok = GL_FALSE, log_len = 0;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    glGetShaderiv(sh, GL_INFO_LOG_LENGTH, &log_len);
    char log[2048] = "";
    if (log_len > 1) {
        glGetShaderInfoLog(sh, (GLsizei)sizeof log, NULL, log);
    }
    if (!ok) {
        nsp_log(NSP_LOG_ERROR, "GL: %s shader does not compile: %s", name, log[0] ? log : "(no log)");
        glDeleteShader(sh);
        return 0;
    }
    if (log[0]) {
        nsp_log(NSP_LOG_WARN, "GL: %s shader compile log: %s", name, log);
    }
    return sh;
}

unsigned nsp_render_gl_link_program(const char *vs_src, const char *fs_src, const char *name) {
    GLuint vs = compile(GL_VERTEX_SHADER, vs_src, name);
    GLuint fs = vs ? compile(GL_FRAGMENT_SHADER, fs_src, name) : 0;
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    glDetachShader(prog, vs);
    glDetachShader(prog, fs);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = GL_FALSE, log_len = 0;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    glGetProgramiv(prog, GL_INFO_LOG_LENGTH, &log_len);
    char log[2048] = "";
    if (log_len > 1) {
        glGetProgramInfoLog(prog, (GLsizei)sizeof log, NULL, log);
    }
    if (!ok) {
        nsp_log(NSP_LOG_ERROR, "GL: %s program does not link: %s", name, log[0] ? log : "(no log)");
        glDeleteProgram(prog);
        return 0;
    }
    if (log[0]) {
        nsp_log(NSP_LOG_WARN, "GL: %s program link log: %s", name, log);
    }
    return prog;
}

static const char *gl_error_name(GLenum e) {
    switch (e) {
    case GL_INVALID_ENUM: return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE: return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION: return "GL_INVALID_OPERATION";
    case GL_INVALID_FRAMEBUFFER_OPERATION: return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case GL_OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY";
    default: return "unknown GL error";
    }
}

// Logs and clears every pending GL error; returns NSP_EGL if there was one.
static int check_gl(const char *where) {
    int err = 0;
    for (GLenum e; (e = glGetError()) != GL_NO_ERROR;) {
        nsp_log(NSP_LOG_ERROR, "GL: %s (0x%04x) in %s", gl_error_name(e), (unsigned)e, where);
        err = NSP_EGL;
    }
    return err;
}

static void color_vertex_layout(void) {
    const GLsizei stride = (GLsizei)sizeof(nsp_vertex_t);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(nsp_vertex_t, x));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(nsp_vertex_t, size_px));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (const void *)offsetof(nsp_vertex_t, rgba));
}

static void tex_vertex_layout(void) {
    const GLsizei stride = (GLsizei)sizeof(tex_vertex_t);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(tex_vertex_t, x));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(tex_vertex_t, u));
}

// Two triangles covering (x0, y0)-(x1, y1), texture coordinates (u0, v0) at
// the first corner and (u1, v1) at the second.
static tex_vertex_t *quad(tex_vertex_t *v, float x0, float y0, float x1, float y1, float u0, float v0, float u1,
                          float v1) {
    const tex_vertex_t a = {x0, y0, u0, v0}, b = {x1, y0, u1, v0}, c = {x1, y1, u1, v1}, d = {x0, y1, u0, v1};
    v[0] = a, v[1] = b, v[2] = c, v[3] = a, v[4] = c, v[5] = d;
    return v + NSP_QUAD_VERTICES;
}

// Lays out one label's glyphs at TEXT_SCALE (smaller only if the label is
// wider than the panel), kept inside the dock panel (the canvas without a
// dock) and on whole pixels so the glyphs stay crisp.
static tex_vertex_t *layout_label(tex_vertex_t *v, const nsp_label_t *label, const nsp_layout_t *layout) {
    nsp_rect_t box = layout->dock.w > 0 ? layout->dock : (nsp_rect_t){0, 0, layout->canvas_w, layout->canvas_h};
    int n = (int)strlen(label->text);
    int scale = TEXT_SCALE;
    while (scale > 1 && (n * NSP_FONT_CELL_W * scale > box.w || NSP_FONT_CELL_H * scale > box.h)) {
        scale--;
    }
    float w = (float)(n * NSP_FONT_CELL_W * scale), h = (float)(NSP_FONT_CELL_H * scale);
    float x = label->x_px - (label->align == NSP_ALIGN_CENTER ? 0.5f * w : label->align == NSP_ALIGN_RIGHT ? w : 0.0f);
    float y = label->y_px - 0.5f * h;
    x = fminf(fmaxf(x, (float)box.x), (float)(box.x + box.w) - w);
    y = fminf(fmaxf(y, (float)box.y), (float)(box.y + box.h) - h);
    x = floorf(x + 0.5f);
    y = floorf(y + 0.5f);
    const float cell_w = (float)(NSP_FONT_CELL_W * scale);
    for (int i = 0; i < n; i++, x += cell_w) {
        int c = (unsigned char)label->text[i];
        if (c == ' ') {
            continue;
        }
        int ax, ay;
        nsp_font_cell(c, &ax, &ay);
        v = quad(v, x, y, x + cell_w, y + h, (float)ax / NSP_FONT_ATLAS_W, (float)ay / NSP_FONT_ATLAS_H,
                 (float)(ax + NSP_FONT_CELL_W) / NSP_FONT_ATLAS_W, (float)(ay + NSP_FONT_CELL_H) / NSP_FONT_ATLAS_H);
    }
    return v;
}

// NDC = data * (sx, sy) + (ox, oy), computed in double from the layout.
static void set_xform(float *xf, double sx, double sy, double ox, double oy) {
    xf[0] = (float)sx, xf[1] = (float)sy, xf[2] = (float)ox, xf[3] = (float)oy;
}

static void compute_transforms(nsp_render_gl_t *r) {
    const nsp_scene_t *s = r->scene;
    const nsp_layout_t *L = &s->layout;
    const double cw = L->canvas_w, ch = L->canvas_h, g = s->sc->grid;
    // Canvas pixels, y down.
    set_xform(r->xform[NSP_SPACE_CANVAS], 2.0 / cw, -2.0 / ch, -1.0, 1.0);
    // Environment units [0, grid]^2 over the field rectangle, y up.
    const nsp_rect_t f = L->field;
    set_xform(r->xform[NSP_SPACE_FIELD], 2.0 * f.w / (g * cw), 2.0 * f.h / (g * ch), 2.0 * f.x / cw - 1.0,
              1.0 - 2.0 * (f.y + f.h) / ch);
    // Seconds [-window, 0] and mV [lfp_lo, lfp_hi] over the dock plot, y up.
    const nsp_rect_t p = L->dock_plot;
    const double lo = s->sc->lfp_lo, hi = s->sc->lfp_hi, win = NSP_TS_WINDOW_S;
    if (L->dock.w > 0 && hi > lo) {
        set_xform(r->xform[NSP_SPACE_DOCK], 2.0 * p.w / (win * cw), 2.0 * p.h / ((hi - lo) * ch),
                  2.0 * (p.x + p.w) / cw - 1.0, 1.0 - 2.0 * (p.y + p.h + lo * p.h / (hi - lo)) / ch);
    } else {
        memcpy(r->xform[NSP_SPACE_DOCK], r->xform[NSP_SPACE_CANVAS], sizeof r->xform[0]);
    }
}

// The floor texture's texel (x, y), first row first: (x, y, 128, 255) in a
// size x size RGBA image (size <= 256 in every scene: the field image).
static void floor_pattern(uint8_t *rgba, int size) {
    for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
            uint8_t *p = rgba + ((size_t)y * (size_t)size + (size_t)x) * 4;
            p[0] = (uint8_t)(x & 255), p[1] = (uint8_t)(y & 255), p[2] = 128, p[3] = 255;
        }
    }
}

static GLuint make_texture(GLenum internal, int w, int h, GLenum format, GLenum filter, const void *pixels) {
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, (GLint)filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, (GLint)filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, (GLint)internal, w, h, 0, format, GL_UNSIGNED_BYTE, pixels);
    return tex;
}

// The background program, compiled for the scene (video, dock) and the
// test variant (costly_background). 0 when it does not build (logged).
static unsigned link_background(const nsp_render_gl_t *r) {
    char bg_vs[2048], bg_fs[2048];
    snprintf(bg_vs, sizeof bg_vs, "#version 330 core\n#define NSP_VIDEO %d\n%s", r->scene->frame.video_rgb != NULL,
             BG_VS + strlen("#version 330 core\n"));
    snprintf(bg_fs, sizeof bg_fs, "#version 330 core\n#define NSP_VIDEO %d\n#define NSP_COSTLY %d\n%s",
             r->scene->frame.video_rgb != NULL, r->test_variant == VARIANT_COSTLY_BACKGROUND, BG_FS);
    return nsp_render_gl_link_program(bg_vs, bg_fs, "background");
}

// Links the background program for the scene and the test variant, and sets
// its uniforms, which depend only on the scene: once at init (and again when
// a test variant changes its shader). NSP_EGL (logged) on failure.
static int setup_background(nsp_render_gl_t *r) {
    unsigned prog = link_background(r);
    if (!prog) {
        return NSP_EGL;
    }
    if (r->prog_bg) {
        glDeleteProgram(r->prog_bg);
    }
    r->prog_bg = prog;
    // Uniforms a variant does not use are optimised away (location -1,
    // which glUniform ignores); the transform every variant uses must be there.
    const GLint loc_xform = glGetUniformLocation(r->prog_bg, "u_xform");
    if (loc_xform < 0) {
        nsp_log(NSP_LOG_ERROR, "GL: the background shader's u_xform is missing after linking");
        return NSP_EGL;
    }
    glUseProgram(r->prog_bg);
    glUniform4fv(loc_xform, 1, r->xform[NSP_SPACE_CANVAS]);
    glUniform1i(glGetUniformLocation(r->prog_bg, "u_field"), 0);
    glUniform1i(glGetUniformLocation(r->prog_bg, "u_video"), 1);
    glUniform1f(glGetUniformLocation(r->prog_bg, "u_video_alpha"), NSP_VIDEO_ALPHA);
    return 0;
}

static int init_programs(nsp_render_gl_t *r) {
    r->prog_color = nsp_render_gl_link_program(COLOR_VS, COLOR_FS, "colour");
    r->prog_tex = r->prog_color ? nsp_render_gl_link_program(nsp_render_gl_textured_vs, TEX_FS, "texture") : 0;
    r->prog_floor = r->prog_tex ? nsp_render_gl_link_program(FLOOR_VS, FLOOR_FS, "floor") : 0;
    if (!r->prog_floor) {
        return NSP_EGL;
    }
    r->loc_color_xform = glGetUniformLocation(r->prog_color, "u_xform");
    r->loc_tex_xform = glGetUniformLocation(r->prog_tex, "u_xform");
    r->loc_tex_color = glGetUniformLocation(r->prog_tex, "u_color");
    r->loc_tex_mode = glGetUniformLocation(r->prog_tex, "u_mode");
    r->loc_tex_sampler = glGetUniformLocation(r->prog_tex, "u_tex");
    if (r->loc_color_xform < 0 || r->loc_tex_xform < 0 || r->loc_tex_color < 0 || r->loc_tex_mode < 0 ||
        r->loc_tex_sampler < 0) {
        nsp_log(NSP_LOG_ERROR, "GL: a shader uniform is missing after linking");
        return NSP_EGL;
    }
    glUseProgram(r->prog_tex);
    glUniform1i(r->loc_tex_sampler, 0);
    glUseProgram(r->prog_floor);
    glUniform1i(glGetUniformLocation(r->prog_floor, "u_tex"), 0);
    return setup_background(r);
}

// The static quads (video, field, floor) and the label glyphs, uploaded once.
static int init_static_quads(nsp_render_gl_t *r) {
    const nsp_scene_t *s = r->scene;
    const nsp_layout_t *L = &s->layout;
    r->text_vertices = nsp_label_vertices(s);
    size_t n = STATIC_TEXT + (size_t)r->text_vertices;
    tex_vertex_t *v = malloc(n * sizeof *v);
    if (!v) {
        return NSP_ENOMEM;
    }
    // The field's triangle: corners at the field's top left and twice its
    // width and height from there, so its left half covers the field (the
    // scissor clips the rest), the texture's row 0 at the field's bottom.
    const nsp_rect_t f = L->field;
    const float x0 = (float)f.x, y0 = (float)f.y, w = (float)f.w, h = (float)f.h;
    v[STATIC_BACKGROUND + 0] = (tex_vertex_t){x0, y0, 0.0f, 1.0f};
    v[STATIC_BACKGROUND + 1] = (tex_vertex_t){x0 + 2.0f * w, y0, 2.0f, 1.0f};
    v[STATIC_BACKGROUND + 2] = (tex_vertex_t){x0, y0 + 2.0f * h, 0.0f, -1.0f};
    // The floor quad is in clip space, its texture's first row at the top.
    quad(v + STATIC_FLOOR, -1.0f, 1.0f, 1.0f, -1.0f, 0.0f, 0.0f, 1.0f, 1.0f);
    tex_vertex_t *end = v + STATIC_TEXT;
    for (int i = 0; i < s->label_count; i++) {
        end = layout_label(end, &s->labels[i], L);
    }
    assert(end == v + n);
    glGenVertexArrays(1, &r->vao_static);
    glBindVertexArray(r->vao_static);
    glGenBuffers(1, &r->vbo_static);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_static);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(n * sizeof *v), v, GL_STATIC_DRAW);
    tex_vertex_layout();
    free(v);
    return 0;
}

static int init_textures(nsp_render_gl_t *r) {
    const nsp_scene_t *s = r->scene;
    const int image = s->frame.image_size;
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    r->tex_field = make_texture(GL_RGBA8, image, image, GL_RGBA, GL_NEAREST, s->frame.image_rgba);
    if (!s->frame.video_rgb) {
        // The image's texels are opaque or (0, 0, 0, 0) (the field's colours,
        // or the opaque composite), so the field over black is its colour
        // alone: read with alpha 1, the background's shader is a bare fetch.
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_A, GL_ONE);
    }
    // The video texture, only where the shader composites (the plan carries
    // the video frame): mid-grey until the first upload (texture memory is
    // otherwise undefined).
    if (s->frame.video_rgb) {
        uint8_t *grey = malloc(NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
        if (!grey) {
            return NSP_ENOMEM;
        }
        memset(grey, 128, NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
        r->tex_video = make_texture(GL_RGB8, NSP_VIDEO_SIZE, NSP_VIDEO_SIZE, GL_RGB, GL_NEAREST, grey);
        free(grey);
    }
    uint8_t atlas[NSP_FONT_ATLAS_W * NSP_FONT_ATLAS_H];
    nsp_font_atlas(atlas);
    r->tex_font = make_texture(GL_R8, NSP_FONT_ATLAS_W, NSP_FONT_ATLAS_H, GL_RED, GL_NEAREST, atlas);
    // The floor samples a texture of the field image's size (no larger than
    // what the frame samples), nearest, as the background samples the field.
    uint8_t *floor_rgba = malloc((size_t)image * (size_t)image * 4);
    if (!floor_rgba) {
        return NSP_ENOMEM;
    }
    floor_pattern(floor_rgba, image);
    r->tex_floor = make_texture(GL_RGBA8, image, image, GL_RGBA, GL_NEAREST, floor_rgba);
    free(floor_rgba);
    return 0;
}

static void init_buffers(nsp_render_gl_t *r) {
    const nsp_scene_t *s = r->scene;
    // One buffer for every batch, sized once; frames update ranges in place.
    glGenVertexArrays(1, &r->vao_dynamic);
    glBindVertexArray(r->vao_dynamic);
    glGenBuffers(1, &r->vbo_dynamic);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_dynamic);
    uint32_t cap = s->vertex_cap > 0 ? s->vertex_cap : 1;
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)cap * (GLsizeiptr)sizeof(nsp_vertex_t), NULL, GL_DYNAMIC_DRAW);
    color_vertex_layout();
    // The dock's decoration never changes.
    r->decor_opaque = true;
    for (uint32_t i = 0; i < s->decor_count; i++) {
        r->decor_opaque = r->decor_opaque && s->decor[i].rgba[3] == 255;
    }
    if (s->decor_count > 0) {
        glGenVertexArrays(1, &r->vao_decor);
        glBindVertexArray(r->vao_decor);
        glGenBuffers(1, &r->vbo_decor);
        glBindBuffer(GL_ARRAY_BUFFER, r->vbo_decor);
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)s->decor_count * (GLsizeiptr)sizeof(nsp_vertex_t), s->decor,
                     GL_STATIC_DRAW);
        color_vertex_layout();
    }
    glBindVertexArray(0);
}

// The timer queries' ring, where GL_TIME_ELAPSED counts.
static void start_queries(nsp_render_gl_t *r) {
    GLint bits = 0;
    glGetQueryiv(GL_TIME_ELAPSED, GL_QUERY_COUNTER_BITS, &bits);
    r->timer_queries = bits > 0;
    if (!r->timer_queries) {
        nsp_log(NSP_LOG_WARN, "GL: no GL_TIME_ELAPSED timer (0 counter bits): paint is timed from draw to finish");
        return;
    }
    for (int i = 0; i < NSP_RENDER_GL_QUERY_RING; i++) {
        if (!r->queries[i].id) {
            glGenQueries(1, &r->queries[i].id);
        }
    }
}

// Timer queries only where they time the GPU's work. A software
// rasteriser's query times the submission alone (the raster runs at
// glFinish), so paint is timed from the first draw call to glFinish there
// (bench/targets.h), and llvmpipe bins each begin and end of a query into
// every tile of the canvas: 2-8% of a frame for nothing (docs/floor.md).
static void init_queries(nsp_render_gl_t *r) {
    const char *renderer = (const char *)glGetString(GL_RENDERER);
    r->timer_queries = false;
    if (!nsp_render_is_software(renderer ? renderer : "")) {
        start_queries(r);
    }
}

void nsp_render_gl_use_timer_queries(nsp_render_gl_t *r) {
    assert(r->draw_seq == 0 && "before the first frame");
    start_queries(r);
}

// A tracer (apitrace) preloads GL_GREMEDY_frame_terminator's function,
// which no driver offers: each frame's calls end with it there, so a trace
// is cut into frames (the gate's tier e counts each frame's calls by it),
// and nothing is called where no tracer listens. Looked up as the tracer's
// own symbol, not through epoxy: epoxy looks for GLX to resolve a function
// it has not met, and aborts inside apitrace's EGL wrapper, which has none.
static void init_frame_marks(nsp_render_gl_t *r) {
    *(void **)&r->frame_terminator = dlsym(RTLD_DEFAULT, "glFrameTerminatorGREMEDY");
}

int nsp_render_gl_init(nsp_render_gl_t *r, const nsp_scene_t *scene) {
    memset(r, 0, sizeof *r);
    r->scene = scene;
    r->target_w = scene->layout.canvas_w;
    r->target_h = scene->layout.canvas_h;
    if (epoxy_gl_version() < 33) {
        nsp_log(NSP_LOG_ERROR, "GL: the current context is OpenGL %d.%d; the renderer needs 3.3 core",
                epoxy_gl_version() / 10, epoxy_gl_version() % 10);
        memset(r, 0, sizeof *r);
        return NSP_EGL;
    }
    check_gl("the context before renderer set-up");  // Not ours: logged, not fatal.
    compute_transforms(r);
    const uint8_t panel[3] = {NSP_DOCK_PANEL_RGB};
    for (int i = 0; i < 3; i++) {
        r->panel_rgba[i] = panel[i] / 255.0f;
    }
    int err = init_programs(r);
    if (!err) {
        err = init_static_quads(r);
    }
    if (!err) {
        err = init_textures(r);
    }
    if (!err) {
        init_buffers(r);
        init_queries(r);
        init_frame_marks(r);
        glEnable(GL_PROGRAM_POINT_SIZE);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_CULL_FACE);
        err = check_gl("renderer set-up");
    }
    if (err) {
        nsp_render_gl_destroy(r);
    }
    return err;
}

void nsp_render_gl_destroy(nsp_render_gl_t *r) {
    GLuint vaos[] = {r->vao_dynamic, r->vao_decor, r->vao_static};
    GLuint bufs[] = {r->vbo_dynamic, r->vbo_decor, r->vbo_static};
    GLuint texs[] = {r->tex_field, r->tex_video, r->tex_font, r->tex_floor};
    for (size_t i = 0; i < sizeof vaos / sizeof vaos[0]; i++) {
        if (vaos[i]) {
            glDeleteVertexArrays(1, &vaos[i]);
        }
        if (bufs[i]) {
            glDeleteBuffers(1, &bufs[i]);
        }
    }
    for (size_t i = 0; i < sizeof texs / sizeof texs[0]; i++) {
        if (texs[i]) {
            glDeleteTextures(1, &texs[i]);
        }
    }
    for (int i = 0; i < NSP_RENDER_GL_QUERY_RING; i++) {
        if (r->queries[i].id) {
            glDeleteQueries(1, &r->queries[i].id);
        }
    }
    if (r->prog_color) {
        glDeleteProgram(r->prog_color);
    }
    if (r->prog_tex) {
        glDeleteProgram(r->prog_tex);
    }
    if (r->prog_floor) {
        glDeleteProgram(r->prog_floor);
    }
    if (r->prog_bg) {
        glDeleteProgram(r->prog_bg);
    }
    memset(r, 0, sizeof *r);
}

void nsp_render_gl_set_target(nsp_render_gl_t *r, int w, int h) {
    assert(w >= 1 && h >= 1);
    r->target_w = w;
    r->target_h = h;
}

// ---------------------------------------------------------------------------
// Paint times.

// Keeps a finished time until taken; the oldest goes when nobody takes them.
static void keep_paint(nsp_render_gl_t *r, uint64_t seq, double ms) {
    if (r->paint_count == NSP_RENDER_GL_PAINT_KEEP) {
        r->paint_first = (r->paint_first + 1) % NSP_RENDER_GL_PAINT_KEEP;
        r->paint_count--;
        r->paint_lost++;
    }
    r->paint[(r->paint_first + r->paint_count) % NSP_RENDER_GL_PAINT_KEEP] = (nsp_render_gl_paint_t){seq, ms};
    r->paint_count++;
}

static double query_ms(nsp_render_gl_query_t *q) {
    GLuint64 ns = 0;
    glGetQueryObjectui64v(q->id, GL_QUERY_RESULT, &ns);
    q->pending = false;
    return (double)ns * 1e-6;
}

size_t nsp_render_gl_take_paint_ms(nsp_render_gl_t *r, uint64_t *seq, double *ms, size_t cap, bool wait) {
    size_t n = 0;
    for (; n < cap && r->paint_count > 0; n++) {
        seq[n] = r->paint[r->paint_first].draw_seq;
        ms[n] = r->paint[r->paint_first].ms;
        r->paint_first = (r->paint_first + 1) % NSP_RENDER_GL_PAINT_KEEP;
        r->paint_count--;
    }
    // Then the queries, oldest first (the ring's next slot is its oldest),
    // stopping at the first unfinished one unless told to wait.
    for (int i = 0; i < NSP_RENDER_GL_QUERY_RING && n < cap; i++) {
        nsp_render_gl_query_t *q = &r->queries[(r->query_next + i) % NSP_RENDER_GL_QUERY_RING];
        if (!q->pending) {
            continue;
        }
        if (!wait) {
            GLuint available = GL_FALSE;
            glGetQueryObjectuiv(q->id, GL_QUERY_RESULT_AVAILABLE, &available);
            if (!available) {
                break;
            }
        }
        seq[n] = q->draw_seq;
        ms[n] = query_ms(q);
        n++;
    }
    return n;
}

// ---------------------------------------------------------------------------
// Frames.

static void count_draw(nsp_render_counters_t *c, GLenum mode, GLint first, uint32_t count) {
    glDrawArrays(mode, first, (GLsizei)count);
    c->draw_calls++;
    c->vertices += count;
}

static void count_texture_upload(const nsp_render_gl_t *r, nsp_render_counters_t *c, GLuint tex, int w, int h,
                                 GLenum format, int channels, const void *pixels) {
    glBindTexture(GL_TEXTURE_2D, tex);
    if (r->test_variant == VARIANT_RESPECIFY_TEXTURE) {
        const GLint internal = format == GL_RGBA ? GL_RGBA8 : GL_RGB8;
        glTexImage2D(GL_TEXTURE_2D, 0, internal, w, h, 0, format, GL_UNSIGNED_BYTE, pixels);
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, format, GL_UNSIGNED_BYTE, pixels);
    }
    c->texture_uploads++;
    c->bytes_uploaded += (uint64_t)w * (uint64_t)h * (uint64_t)channels;
}

// Clips the draws that follow to a canvas rectangle, scaled onto the
// target. A rectangle that covers the whole target clips nothing, and the
// scissor test stays off for it: each switch of the test is a new
// rasteriser state for the driver to validate at the next draw (without
// the dock, every draw of a frame is over the whole canvas).
static void clip_rect(nsp_render_gl_t *r, nsp_rect_t rect) {
    const nsp_layout_t *L = &r->scene->layout;
    double sx = (double)r->target_w / L->canvas_w, sy = (double)r->target_h / L->canvas_h;
    int x0 = (int)lround(rect.x * sx), x1 = (int)lround((rect.x + rect.w) * sx);
    int y0 = (int)lround((L->canvas_h - rect.y - rect.h) * sy), y1 = (int)lround((L->canvas_h - rect.y) * sy);
    bool whole = x0 <= 0 && y0 <= 0 && x1 >= r->target_w && y1 >= r->target_h;
    if (r->clipping == whole) {
        r->clipping = !whole;
        if (whole) {
            glDisable(GL_SCISSOR_TEST);
        } else {
            glEnable(GL_SCISSOR_TEST);
        }
    }
    if (!whole) {
        glScissor(x0, y0, x1 - x0, y1 - y0);
    }
}

static void clip_space(nsp_render_gl_t *r, nsp_space_id_t space) {
    const nsp_layout_t *L = &r->scene->layout;
    switch (space) {
    case NSP_SPACE_FIELD: clip_rect(r, L->field); break;
    case NSP_SPACE_DOCK: clip_rect(r, L->dock); break;
    case NSP_SPACE_CANVAS: clip_rect(r, (nsp_rect_t){0, 0, L->canvas_w, L->canvas_h}); break;
    }
}

static void clip_none(nsp_render_gl_t *r) {
    clip_space(r, NSP_SPACE_CANVAS);
}

static void draw_text(nsp_render_gl_t *r, nsp_render_counters_t *c) {
    glUseProgram(r->prog_tex);
    glBindVertexArray(r->vao_static);
    glUniform4fv(r->loc_tex_xform, 1, r->xform[NSP_SPACE_CANVAS]);
    glUniform1i(r->loc_tex_mode, TEX_MODE_COVERAGE);
    glUniform4fv(r->loc_tex_color, 1, TEXT_RGBA);
    glBindTexture(GL_TEXTURE_2D, r->tex_font);
    count_draw(c, GL_TRIANGLES, STATIC_TEXT, r->text_vertices);
}

void nsp_render_gl_upload(nsp_render_gl_t *r, const nsp_frame_t *f) {
    assert(f->batches == r->scene->batches && f->vertices == r->scene->vertices &&
           f->image_size == r->scene->frame.image_size);
    if (r->timer_queries) {
        nsp_render_gl_query_t *q = &r->queries[r->query_next];
        if (q->pending) {
            // The ring is full: its oldest result, NSP_RENDER_GL_QUERY_RING
            // frames old, comes out now.
            keep_paint(r, q->draw_seq, query_ms(q));
        }
        glBeginQuery(GL_TIME_ELAPSED, q->id);
    }
    nsp_render_counters_t *c = &r->last;
    *c = (nsp_render_counters_t){.frames = 1};
    // Every upload comes before every draw: rewriting a buffer range that an
    // earlier draw of the frame reads would make a software rasteriser flush
    // mid-frame.
    glActiveTexture(GL_TEXTURE0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (f->video_rgb) {
        count_texture_upload(r, c, r->tex_video, NSP_VIDEO_SIZE, NSP_VIDEO_SIZE, GL_RGB, 3, f->video_rgb);
    }
    count_texture_upload(r, c, r->tex_field, f->image_size, f->image_size, GL_RGBA, 4, f->image_rgba);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo_dynamic);
    for (int b = 0; b < NSP_BATCH_COUNT; b++) {
        const nsp_batch_t *batch = &f->batches[b];
        if (batch->count > 0) {
            assert(batch->count <= batch->cap);
            const GLintptr offset = (GLintptr)batch->first * (GLintptr)sizeof(nsp_vertex_t);
            const GLsizeiptr bytes = (GLsizeiptr)batch->count * (GLsizeiptr)sizeof(nsp_vertex_t);
            glBufferSubData(GL_ARRAY_BUFFER, offset, bytes, f->vertices + batch->first);
            c->buffer_uploads++;
            c->bytes_uploaded += (uint64_t)bytes;
        }
    }
    r->uploaded = true;
}

// With the dock, a dozen draw calls follow the field's (the dock's frame and
// ticks, its labels, its trace and the overlays): a flush here hands the
// field's raster to the driver (llvmpipe: its raster threads) while this
// thread sets those up. Without the dock the two or three overlay draws
// cost less than the second scene the flush starts (docs/floor.md has the
// figures). Never inlined: tier e counts this function as raster, where a
// single-threaded llvmpipe shades the field (tier_glpath.c).
__attribute__((noinline)) static void raster_begin(void) {
    glFlush();
}

int nsp_render_gl_draw(nsp_render_gl_t *r, const nsp_frame_t *f) {
    const nsp_scene_t *s = r->scene;
    assert(r->uploaded && "nsp_render_gl_upload() comes before each draw");
    r->uploaded = false;
    nsp_render_counters_t *c = &r->last;
    glViewport(0, 0, r->target_w, r->target_h);
    glDisable(GL_SCISSOR_TEST);
    r->clipping = false;
    // The field quad covers every pixel but the dock's, opaque and
    // unblended; the dock's panel is the clear colour. Without a dock there
    // is nothing to clear.
    if (s->layout.dock.w > 0) {
        glClearColor(r->panel_rgba[0], r->panel_rgba[1], r->panel_rgba[2], 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    if (r->test_variant == VARIANT_BLEND_BACKGROUND) {
        glEnable(GL_BLEND);
    } else {
        glDisable(GL_BLEND);
    }
    glUseProgram(r->prog_bg);
    glBindVertexArray(r->vao_static);
    if (r->tex_video) {
        glActiveTexture(GL_TEXTURE1);
        glBindTexture(GL_TEXTURE_2D, r->tex_video);
        glActiveTexture(GL_TEXTURE0);
    }
    glBindTexture(GL_TEXTURE_2D, r->tex_field);
    clip_rect(r, s->layout.field);
    count_draw(c, GL_TRIANGLES, STATIC_BACKGROUND, NSP_BACKGROUND_VERTICES);
    if (r->test_variant == VARIANT_SECOND_PASS) {
        glDrawArrays(GL_TRIANGLES, STATIC_BACKGROUND, NSP_BACKGROUND_VERTICES);
    } else if (r->test_variant == VARIANT_MID_FRAME_FINISH) {
        glFinish();
    }
    if (s->layout.dock.w > 0) {
        raster_begin();
    }
    clip_none(r);
    // Straight alpha for colour; destination alpha accumulates coverage so
    // a read-back canvas stays opaque.
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    glUseProgram(r->prog_color);
    // The dock's frame and ticks, under its trace.
    if (s->decor_count > 0) {
        glBindVertexArray(r->vao_decor);
        glUniform4fv(r->loc_color_xform, 1, r->xform[NSP_SPACE_CANVAS]);
        if (r->decor_opaque) {
            glDisable(GL_BLEND);
        }
        count_draw(c, GL_TRIANGLES, 0, s->decor_count);
        glEnable(GL_BLEND);
    }
    glBindVertexArray(r->vao_dynamic);
    int space = -1;
    for (int b = 0; b < NSP_BATCH_COUNT; b++) {
        const nsp_batch_t *batch = &f->batches[b];
        if (batch->count == 0) {
            continue;
        }
        if ((int)batch->space != space) {
            space = (int)batch->space;
            glUniform4fv(r->loc_color_xform, 1, r->xform[space]);
            clip_space(r, batch->space);
        }
        count_draw(c, batch->prim == NSP_PRIM_POINTS ? GL_POINTS : GL_TRIANGLES, (GLint)batch->first, batch->count);
    }
    clip_none(r);
    if (s->decor_count > 0) {
        draw_text(r, c);
    }
    // Test-only extra draw calls (set_test "extra_draws"): empty ones.
    for (uint32_t i = 0; i < r->extra_draws; i++) {
        count_draw(c, GL_TRIANGLES, STATIC_BACKGROUND, 0);
    }

    if (r->timer_queries) {
        glEndQuery(GL_TIME_ELAPSED);
        nsp_render_gl_query_t *q = &r->queries[r->query_next];
        q->pending = true;
        q->draw_seq = r->draw_seq;
        r->query_next = (r->query_next + 1) % NSP_RENDER_GL_QUERY_RING;
    } else {
        keep_paint(r, r->draw_seq, NAN);
    }
    r->draw_seq++;
    nsp_render_counters_add(&r->total, c);
    if (r->frame_terminator) {
        r->frame_terminator();
    }
#ifndef NDEBUG
    return check_gl("nsp_render_gl_draw");
#else
    return 0;
#endif
}

void nsp_render_gl_finish(nsp_render_gl_t *r) {
    (void)r;
    glFinish();
}

void nsp_render_gl_draw_floor(nsp_render_gl_t *r) {
    glViewport(0, 0, r->target_w, r->target_h);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_BLEND);
    glUseProgram(r->prog_floor);
    glBindVertexArray(r->vao_static);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->tex_floor);
    glDrawArrays(GL_TRIANGLES, STATIC_FLOOR, NSP_QUAD_VERTICES);
}

int nsp_render_gl_read_rgba(nsp_render_gl_t *r, uint8_t *rgba) {
    const int w = r->scene->layout.canvas_w, h = r->scene->layout.canvas_h;
    if (r->target_w != w || r->target_h != h) {
        nsp_log(NSP_LOG_ERROR, "GL: cannot read the %dx%d canvas back from a %dx%d target", w, h, r->target_w,
                r->target_h);
        return NSP_EINVAL;
    }
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    int err = check_gl("nsp_render_gl_read_rgba");
    // GL's first row is the bottom one: swap rows in place, a chunk at a time.
    const size_t row = (size_t)w * 4;
    for (int y = 0; y < h / 2; y++) {
        uint8_t *a = rgba + (size_t)y * row, *b = rgba + (size_t)(h - 1 - y) * row;
        for (size_t i = 0; i < row;) {
            uint8_t tmp[256];
            size_t n = row - i < sizeof tmp ? row - i : sizeof tmp;
            memcpy(tmp, a + i, n);
            memcpy(a + i, b + i, n);
            memcpy(b + i, tmp, n);
            i += n;
        }
    }
    return err;
}

// ---------------------------------------------------------------------------
// The nsp_backend_t adapter.

static void backend_upload(void *self, const nsp_frame_t *f) {
    nsp_render_gl_upload(self, f);
}

static void backend_draw(void *self, const nsp_frame_t *f) {
    nsp_render_gl_draw(self, f);
}

static void backend_finish(void *self) {
    nsp_render_gl_finish(self);
}

static void backend_draw_floor(void *self) {
    nsp_render_gl_draw_floor(self);
}

static size_t backend_take_paint_ms(void *self, uint64_t *seq, double *ms, size_t cap, int wait) {
    return nsp_render_gl_take_paint_ms(self, seq, ms, cap, wait != 0);
}

static const nsp_render_counters_t *backend_counters(void *self, int total) {
    nsp_render_gl_t *r = self;
    return total ? &r->total : &r->last;
}

static void backend_target_size(void *self, int *w, int *h) {
    const nsp_render_gl_t *r = self;
    *w = r->target_w;
    *h = r->target_h;
}

static void backend_resize(void *self, int w, int h) {
    nsp_render_gl_set_target(self, w, h);
}

static int backend_read_rgba(void *self, uint8_t *rgba) {
    return nsp_render_gl_read_rgba(self, rgba);
}

#define GL_TESTS_KNOWN \
    "extra_draws, gl:second_pass, gl:blend_background, gl:costly_background, gl:mid_frame_finish, " \
    "gl:respecify_texture"

// The GL-side variant "gl:NAME" (value 0 undoes it): the background program
// is rebuilt when the variant changes its shader.
static int set_variant(nsp_render_gl_t *r, const char *name, uint64_t value) {
    for (size_t i = 1; i < sizeof VARIANT_NAMES / sizeof VARIANT_NAMES[0]; i++) {
        if (strcmp(name + strlen(NSP_RENDER_GL_VARIANT_PREFIX), VARIANT_NAMES[i]) != 0) {
            continue;
        }
        bool was_costly = r->test_variant == VARIANT_COSTLY_BACKGROUND;
        r->test_variant = value ? (int)i : VARIANT_NONE;
        if (was_costly != (r->test_variant == VARIANT_COSTLY_BACKGROUND)) {
            return setup_background(r);
        }
        return 0;
    }
    return nsp_render_unknown_test("gl", name, GL_TESTS_KNOWN);
}

static int backend_set_test(void *self, const char *name, uint64_t value) {
    nsp_render_gl_t *r = self;
    if (strncmp(name, NSP_RENDER_GL_VARIANT_PREFIX, strlen(NSP_RENDER_GL_VARIANT_PREFIX)) == 0) {
        return set_variant(r, name, value);
    }
    if (strcmp(name, "extra_draws") != 0) {
        return nsp_render_unknown_test("gl", name, GL_TESTS_KNOWN);
    }
    r->extra_draws = (uint32_t)value;
    return 0;
}

nsp_backend_t nsp_render_gl_backend(nsp_render_gl_t *r) {
    return (nsp_backend_t){
        .name = "gl",
        .self = r,
        .upload = backend_upload,
        .draw = backend_draw,
        .finish = backend_finish,
        .draw_floor = backend_draw_floor,
        .take_paint_ms = r->timer_queries ? backend_take_paint_ms : NULL,
        .counters = backend_counters,
        .target_size = backend_target_size,
        .resize = backend_resize,
        .read_rgba = backend_read_rgba,
        .set_test = backend_set_test,
    };
}

