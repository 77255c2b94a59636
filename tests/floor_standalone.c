// The floor frame drawn by a program of its own, sharing no code with
// nsplay: the check that nsplay's in-process floor frame (render_gl.h) costs
// what the cheapest faithful frame costs and no more. It makes an OpenGL 3.3
// core context on Mesa's surfaceless EGL platform, renders into a canvas-sized
// RGBA8 renderbuffer as nsplay does, and times N floor frames: clear, one
// quad over the canvas whose fragment shader only samples a texture (SIZE x
// SIZE RGBA8, nearest), glFinish. Prints one line,
//   floor_standalone WxH tex SIZE: median M ms, p95 P ms, mean A ms (N frames)
// Usage: floor_standalone [--width W] [--height H] [--texture SIZE] [--frames N]
//                         [--free-first BYTES]
// (defaults 1100 x 800, texture 100, 200 frames). --free-first mallocs,
// writes and frees BYTES before the context is made (as nsplay's renderer did
// with its canvas-sized floor texture's staging buffer), and the line then
// also gives the resident set's growth over the timed frames: the reproducer
// of docs/floor.md's memory growth. Exit 0, 2 on bad options, 77 when no
// surfaceless OpenGL 3.3 context can be made.
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <epoxy/egl.h>
#include <epoxy/gl.h>

static const char *const VS =
    "#version 330 core\n"
    "layout(location = 0) in vec2 a_pos;\n"
    "layout(location = 1) in vec2 a_uv;\n"
    "out vec2 v_uv;\n"
    "void main() {\n"
    "    gl_Position = vec4(a_pos, 0.0, 1.0);\n"
    "    v_uv = a_uv;\n"
    "}\n";

static const char *const FS =
    "#version 330 core\n"
    "in vec2 v_uv;\n"
    "uniform sampler2D u_tex;\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "    o_color = texture(u_tex, v_uv);\n"
    "}\n";

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

// The resident set in KiB (/proc/self/statm), 0 if unknown.
static long rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) {
            resident = 0;
        }
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// Whole positive numbers up to max, or -1.
static long parse_count(const char *s, long max) {
    char *end = NULL;
    long v = strtol(s, &end, 10);
    return end != s && *end == '\0' && v >= 1 && v <= max ? v : -1;
}

static int make_context(void) {
    const char *ext = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!ext || !strstr(ext, "EGL_MESA_platform_surfaceless")) {
        fprintf(stderr, "floor_standalone: no EGL_MESA_platform_surfaceless\n");
        return 77;
    }
    EGLDisplay dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    EGLint major = 0, minor = 0;
    if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, &major, &minor) || !eglBindAPI(EGL_OPENGL_API)) {
        fprintf(stderr, "floor_standalone: no surfaceless EGL display with desktop OpenGL\n");
        return 77;
    }
    const EGLint config_attribs[] = {EGL_SURFACE_TYPE, 0, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
    EGLConfig config;
    EGLint n = 0;
    const EGLint ctx_attribs[] = {
        EGL_CONTEXT_MAJOR_VERSION_KHR, 3, EGL_CONTEXT_MINOR_VERSION_KHR, 3,
        EGL_CONTEXT_OPENGL_PROFILE_MASK_KHR, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT_KHR, EGL_NONE,
    };
    EGLContext ctx = EGL_NO_CONTEXT;
    if (eglChooseConfig(dpy, config_attribs, &config, 1, &n) && n >= 1) {
        ctx = eglCreateContext(dpy, config, EGL_NO_CONTEXT, ctx_attribs);
    }
    if (ctx == EGL_NO_CONTEXT || !eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
        fprintf(stderr, "floor_standalone: no OpenGL 3.3 core context\n");
        return 77;
    }
    return 0;
}

static GLuint compile(GLenum type, const char *src) {
    GLuint sh = glCreateShader(type);
    glShaderSource(sh, 1, &src, NULL);
    glCompileShader(sh);
    GLint ok = GL_FALSE;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    return ok ? sh : 0;
}

int main(int argc, char **argv) {
    long w = 1100, h = 800, tex_size = 100, frames = 200, free_first = 0;
    for (int i = 1; i < argc; i++) {
        long *dst = strcmp(argv[i], "--width") == 0     ? &w
                    : strcmp(argv[i], "--height") == 0  ? &h
                    : strcmp(argv[i], "--texture") == 0 ? &tex_size
                    : strcmp(argv[i], "--frames") == 0  ? &frames
                    : strcmp(argv[i], "--free-first") == 0 ? &free_first
                                                        : NULL;
        long v = dst && i + 1 < argc ? parse_count(argv[i + 1], dst == &free_first ? 1L << 30 : 1L << 24) : -1;
        if (v < 0) {
            fprintf(stderr, "usage: floor_standalone [--width W] [--height H] [--texture SIZE] [--frames N] "
                            "[--free-first BYTES]\n");
            return 2;
        }
        *dst = v;
        i++;
    }
    if (free_first > 0) {
        char *big = malloc((size_t)free_first);
        if (!big) {
            fprintf(stderr, "floor_standalone: out of memory\n");
            return 1;
        }
        memset(big, 1, (size_t)free_first);
        free(big);
    }
    int rc = make_context();
    if (rc) {
        return rc;
    }
    GLuint rb = 0, fbo = 0;
    glGenRenderbuffers(1, &rb);
    glBindRenderbuffer(GL_RENDERBUFFER, rb);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, (GLsizei)w, (GLsizei)h);
    glGenFramebuffers(1, &fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        fprintf(stderr, "floor_standalone: the %ldx%ld RGBA8 framebuffer is incomplete\n", w, h);
        return 1;
    }
    glDrawBuffer(GL_COLOR_ATTACHMENT0);
    GLuint vs = compile(GL_VERTEX_SHADER, VS), fs = compile(GL_FRAGMENT_SHADER, FS);
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    GLint linked = GL_FALSE;
    glGetProgramiv(prog, GL_LINK_STATUS, &linked);
    if (!vs || !fs || !linked) {
        fprintf(stderr, "floor_standalone: the floor program does not build\n");
        return 1;
    }
    glUseProgram(prog);
    glUniform1i(glGetUniformLocation(prog, "u_tex"), 0);
    // The texture: texel (x, y) = (x, y, 128, 255), as nsplay's floor.
    unsigned char *rgba = malloc((size_t)tex_size * (size_t)tex_size * 4);
    double *ms = malloc((size_t)frames * sizeof *ms);
    if (!rgba || !ms) {
        fprintf(stderr, "floor_standalone: out of memory\n");
        return 1;
    }
    for (long y = 0; y < tex_size; y++) {
        for (long x = 0; x < tex_size; x++) {
            unsigned char *p = rgba + ((size_t)y * (size_t)tex_size + (size_t)x) * 4;
            p[0] = (unsigned char)(x & 255), p[1] = (unsigned char)(y & 255), p[2] = 128, p[3] = 255;
        }
    }
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, (GLsizei)tex_size, (GLsizei)tex_size, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    free(rgba);
    // Two triangles over clip space, the texture's first row at the top.
    const float quad[] = {-1, 1, 0, 0, 1, 1, 1, 0, 1, -1, 1, 1, -1, 1, 0, 0, 1, -1, 1, 1, -1, -1, 0, 1};
    GLuint vao = 0, vbo = 0;
    glGenVertexArrays(1, &vao);
    glBindVertexArray(vao);
    glGenBuffers(1, &vbo);
    glBindBuffer(GL_ARRAY_BUFFER, vbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof quad, quad, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), (const void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), (const void *)(2 * sizeof(float)));
    glViewport(0, 0, (GLsizei)w, (GLsizei)h);
    glDisable(GL_BLEND);
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    // One untimed frame first: the driver compiles the shaders at the first draw.
    long rss_first = 0;
    for (long i = -1; i < frames; i++) {
        if (i == 0) {
            rss_first = rss_kib();
        }
        double t0 = now_ms();
        glClear(GL_COLOR_BUFFER_BIT);
        glDrawArrays(GL_TRIANGLES, 0, 6);
        glFinish();
        if (i >= 0) {
            ms[i] = now_ms() - t0;
        }
    }
    if (glGetError() != GL_NO_ERROR) {
        fprintf(stderr, "floor_standalone: a GL error while drawing\n");
        return 1;
    }
    double sum = 0.0;
    for (long i = 0; i < frames; i++) {
        sum += ms[i];
    }
    qsort(ms, (size_t)frames, sizeof *ms, cmp_double);
    const double median = frames % 2 ? ms[frames / 2] : 0.5 * (ms[frames / 2 - 1] + ms[frames / 2]);
    const double p95 = ms[(size_t)((double)(frames - 1) * 0.95 + 0.5)];
    printf("floor_standalone %ldx%ld tex %ld: median %.4f ms, p95 %.4f ms, mean %.4f ms (%ld frames)", w, h,
           tex_size, median, p95, sum / (double)frames, frames);
    if (free_first > 0) {
        printf("; resident set grew %ld KiB", rss_kib() - rss_first);
    }
    printf("\n");
    free(ms);
    return 0;
}
