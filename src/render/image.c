#include "image.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"

#define IMAGE_MAX_PX 65535

int nsp_image_write_png(const char *path, const uint8_t *rgba, int w, int h) {
    if (w < 1 || w > IMAGE_MAX_PX || h < 1 || h > IMAGE_MAX_PX) {
        nsp_log(NSP_LOG_ERROR, "%s: image size must be 1..%d pixels a side, got %dx%d", path, IMAGE_MAX_PX, w, h);
        return NSP_EINVAL;
    }
    nsp_atomic_file_t a;
    int err = nsp_atomic_open(&a, path, "PNG");
    if (err) {
        return err;
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGBA;
    if (!png_image_write_to_stdio(&img, a.f, 0, rgba, (png_int_32)w * 4, NULL)) {
        nsp_log(NSP_LOG_ERROR, "cannot write PNG '%s': %s", path, img.message);
        png_image_free(&img);
        nsp_atomic_abort(&a);
        return NSP_EIO;
    }
    png_image_free(&img);
    return nsp_atomic_commit(&a);
}

int nsp_image_read_png(nsp_image_t *out, const char *path) {
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot open PNG: %s", path, strerror(errno));
        return NSP_EIO;
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_stdio(&img, fp)) {
        nsp_log(NSP_LOG_ERROR, "%s: not a readable PNG: %s", path, img.message);
        png_image_free(&img);
        fclose(fp);
        return NSP_EFORMAT;
    }
    img.format = PNG_FORMAT_RGBA;
    if (img.width > IMAGE_MAX_PX || img.height > IMAGE_MAX_PX) {
        nsp_log(NSP_LOG_ERROR, "%s: image is %ux%u, larger than %d a side", path, (unsigned)img.width,
                (unsigned)img.height, IMAGE_MAX_PX);
        png_image_free(&img);
        fclose(fp);
        return NSP_EFORMAT;
    }
    uint8_t *rgba = malloc(PNG_IMAGE_SIZE(img));
    if (!rgba) {
        png_image_free(&img);
        fclose(fp);
        return NSP_ENOMEM;
    }
    if (!png_image_finish_read(&img, NULL, rgba, (png_int_32)img.width * 4, NULL)) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot decode PNG: %s", path, img.message);
        png_image_free(&img);
        free(rgba);
        fclose(fp);
        return NSP_EFORMAT;
    }
    fclose(fp);
    *out = (nsp_image_t){(int)img.width, (int)img.height, rgba};
    return 0;
}

void nsp_image_destroy(nsp_image_t *img) {
    free(img->rgba);
    memset(img, 0, sizeof *img);
}

void nsp_image_diff_rgba(const uint8_t *a, const uint8_t *b, int w, int h, int threshold, nsp_image_diff_t *diff) {
    *diff = (nsp_image_diff_t){0};
    size_t n = (size_t)w * (size_t)h;
    double sum_sq = 0.0;
    for (size_t i = 0; i < n; i++) {
        int over = 0;
        for (int c = 0; c < 4; c++) {
            int d = abs((int)a[4 * i + (size_t)c] - (int)b[4 * i + (size_t)c]);
            diff->max_channel_diff = d > diff->max_channel_diff ? d : diff->max_channel_diff;
            sum_sq += (double)d * (double)d;
            over |= d > threshold;
        }
        diff->pixels_over += over;
    }
    diff->rms = n ? sqrt(sum_sq / (double)(4 * n)) : 0.0;
}

int nsp_image_compare(const nsp_image_t *a, const nsp_image_t *b, int threshold, nsp_image_diff_t *diff) {
    if (a->w != b->w || a->h != b->h) {
        nsp_log(NSP_LOG_ERROR, "cannot compare images of different sizes: %dx%d and %dx%d", a->w, a->h, b->w, b->h);
        return NSP_EINVAL;
    }
    nsp_image_diff_rgba(a->rgba, b->rgba, a->w, a->h, threshold, diff);
    return 0;
}
