/* Stand-in for Windows' system icuuc.dll, for the *test* Wine prefix only; never shipped.
 *
 * Qt 6 on Windows links against the ICU that Windows 10 1903+ ships in System32. Wine 8 has
 * none, so Qt6Core.dll cannot load. Every converter here reports "not available", which makes
 * Qt fall back to its built-in UTF-8/UTF-16/Latin-1 codecs -- all clerkapp uses. On a real
 * Windows PC the genuine System32 icuuc.dll is used and this file does not exist.
 */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
typedef uint16_t UChar;
typedef void UConverter;
typedef void (*UCallback)(void);

#define U_FILE_ACCESS_ERROR 4
#define U_UNSUPPORTED_ERROR 16
#define FAIL(err) do { if ((err) && *(err) <= 0) *(err) = U_UNSUPPORTED_ERROR; } while (0)

__declspec(dllexport) UConverter *ucnv_open(const char *name, UErrorCode *err) {
    (void)name;
    if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR;
    return NULL;
}
__declspec(dllexport) void ucnv_close(UConverter *c) { (void)c; }
__declspec(dllexport) void ucnv_reset(UConverter *c) { (void)c; }
__declspec(dllexport) int8_t ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 1; }
__declspec(dllexport) const char *ucnv_getName(const UConverter *c, UErrorCode *err) {
    (void)c; FAIL(err); return "";
}
__declspec(dllexport) int32_t ucnv_countAvailable(void) { return 0; }
__declspec(dllexport) const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
__declspec(dllexport) const char *ucnv_getStandardName(const char *name, const char *standard,
                                                     UErrorCode *err) {
    (void)name; (void)standard; FAIL(err); return NULL;
}
__declspec(dllexport) void ucnv_getToUCallBack(const UConverter *c, UCallback *action,
                                               const void **context) {
    (void)c; if (action) *action = NULL; if (context) *context = NULL;
}
__declspec(dllexport) void ucnv_getFromUCallBack(const UConverter *c, UCallback *action,
                                                 const void **context) {
    (void)c; if (action) *action = NULL; if (context) *context = NULL;
}
__declspec(dllexport) void ucnv_setToUCallBack(UConverter *c, UCallback n, const void *nc,
                                               UCallback *o, const void **oc, UErrorCode *err) {
    (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; FAIL(err);
}
__declspec(dllexport) void ucnv_setFromUCallBack(UConverter *c, UCallback n, const void *nc,
                                                 UCallback *o, const void **oc, UErrorCode *err) {
    (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; FAIL(err);
}
__declspec(dllexport) void ucnv_toUnicode(UConverter *c, UChar **t, const UChar *tl,
                                          const char **s, const char *sl, int32_t *o,
                                          int8_t flush, UErrorCode *err) {
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)flush; FAIL(err);
}
__declspec(dllexport) void ucnv_fromUnicode(UConverter *c, char **t, const char *tl,
                                            const UChar **s, const UChar *sl, int32_t *o,
                                            int8_t flush, UErrorCode *err) {
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)flush; FAIL(err);
}
__declspec(dllexport) int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *err) {
    (void)c; FAIL(err); return 0;
}
__declspec(dllexport) int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *err) {
    (void)c; FAIL(err); return 0;
}
__declspec(dllexport) void ucnv_cbToUWriteUChars(void *args, const UChar *s, int32_t len,
                                                 int32_t off, UErrorCode *err) {
    (void)args; (void)s; (void)len; (void)off; FAIL(err);
}
__declspec(dllexport) void ucnv_cbFromUWriteUChars(void *args, const UChar **s, const UChar *sl,
                                                   int32_t off, UErrorCode *err) {
    (void)args; (void)s; (void)sl; (void)off; FAIL(err);
}
/* The two standard callbacks are only passed around by address, never called here. */
__declspec(dllexport) void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
__declspec(dllexport) void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
