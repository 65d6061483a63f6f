/* inflate_zlib.c: the portable inflate backend, zlib's inflate() on raw
 * deflate data (windowBits -15: reader.c parses the gzip wrapper). Also
 * the table of backends, since zlib is the one every build has. */
#include <limits.h>

#define ZLIB_CONST /* next_in is const: the input is only read */
#include <zlib.h>

#include "ingest_int.h"

struct el_inflater {
    z_stream z;
};

static enum el_err zl_create(struct el_inflater **out)
{
    struct el_inflater *f = el_calloc(1, sizeof(*f));
    if (!f)
        return EL_ERR_NOMEM;
    if (inflateInit2(&f->z, -15) != Z_OK) {
        el_free(f);
        return EL_ERR_NOMEM;
    }
    *out = f;
    return EL_OK;
}

static void zl_reset(struct el_inflater *f)
{
    inflateReset(&f->z);
}

static enum el_err zl_run(struct el_inflater *f, const unsigned char *in, size_t *in_n,
                          unsigned char *out, size_t *out_n)
{
    /* zlib counts in uInt; our buffers are far below that, but a caller's
     * larger buffer is simply used in part. */
    uInt ai = *in_n > UINT_MAX ? UINT_MAX : (uInt)*in_n;
    uInt ao = *out_n > UINT_MAX ? UINT_MAX : (uInt)*out_n;
    f->z.next_in = in;
    f->z.avail_in = ai;
    f->z.next_out = out;
    f->z.avail_out = ao;
    int zr = inflate(&f->z, Z_NO_FLUSH);
    *in_n = ai - f->z.avail_in;
    *out_n = ao - f->z.avail_out;
    switch (zr) {
    case Z_STREAM_END:
        return EL_DONE;
    case Z_OK:
    case Z_BUF_ERROR: /* no progress possible: more input is needed */
        return EL_OK;
    case Z_MEM_ERROR:
        return EL_ERR_NOMEM;
    default:
        return EL_ERR_GZIP;
    }
}

static void zl_destroy(struct el_inflater *f)
{
    if (!f)
        return;
    inflateEnd(&f->z);
    el_free(f);
}

const struct el_inflate_ops el_inflate_zlib = {
    .name = "zlib",
    .create = zl_create,
    .reset = zl_reset,
    .run = zl_run,
    .crc32 = el_crc32,
    .destroy = zl_destroy,
};

const struct el_inflate_ops *el_inflate_ops_for(enum el_inflate b)
{
    switch (b) {
    case EL_INFLATE_ZLIB:
        return &el_inflate_zlib;
    case EL_INFLATE_ISAL:
#ifdef EL_HAVE_ISAL
        return &el_inflate_isal;
#else
        return NULL;
#endif
    case EL_INFLATE_AUTO:
    default:
#ifdef EL_HAVE_ISAL
        return &el_inflate_isal;
#else
        return &el_inflate_zlib;
#endif
    }
}

bool el_inflate_available(enum el_inflate b)
{
    return el_inflate_ops_for(b) != NULL;
}

const char *el_inflate_name(enum el_inflate b)
{
    const struct el_inflate_ops *ops = el_inflate_ops_for(b);
    return ops ? ops->name : "none";
}
