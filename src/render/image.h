// RGBA8 images on disk and their comparison: screenshots and golden frames.
//
// GL-free (libpng only). Pixels are 8-bit straight-alpha RGBA, rows top
// first, tightly packed (w * 4 bytes a row). Writes are atomic: the PNG goes
// to a temporary file in the destination's directory and is renamed over the
// destination, so a reader never sees half a file.
#ifndef NSP_IMAGE_H
#define NSP_IMAGE_H

#include <stdint.h>

typedef struct nsp_image {
    int w, h;
    uint8_t *rgba;  // w * h * 4 bytes, owned; free with nsp_image_destroy().
} nsp_image_t;

// What differs between two images of the same size.
typedef struct nsp_image_diff {
    int max_channel_diff;    // Largest |a - b| over every channel of every pixel, 0..255.
    double rms;              // Root mean square of a - b over all w * h * 4 channels.
    int64_t pixels_over;     // Pixels with some channel differing by more than the threshold.
} nsp_image_diff_t;

// Writes w x h RGBA pixels to path as an 8-bit RGBA PNG, atomically. w and h
// in 1..65535. Returns 0, NSP_EINVAL for a bad size, or NSP_EIO (logged,
// naming the file and the reason); on error no temporary file is left.
int nsp_image_write_png(const char *path, const uint8_t *rgba, int w, int h);

// Reads any PNG libpng understands, converted to 8-bit RGBA, into img (whose
// previous contents are not freed). Returns 0, NSP_EIO when the file cannot
// be opened, NSP_EFORMAT when it is not a readable PNG, NSP_ENOMEM; each
// logged naming the file. On error img is zeroed.
int nsp_image_read_png(nsp_image_t *img, const char *path);

// Frees the pixels; safe on a zeroed or destroyed image; leaves it zeroed.
void nsp_image_destroy(nsp_image_t *img);

// Compares two w x h RGBA buffers; a pixel counts in pixels_over when some
// channel differs by more than threshold (0..255). Never fails.
void nsp_image_diff_rgba(const uint8_t *a, const uint8_t *b, int w, int h, int threshold, nsp_image_diff_t *diff);

// Compares two images. NSP_EINVAL (logged, both sizes named) when their
// sizes differ; otherwise 0 and diff filled.
int nsp_image_compare(const nsp_image_t *a, const nsp_image_t *b, int threshold, nsp_image_diff_t *diff);

#endif
