/* Stand-in for bcryptprimitives.dll, for the *test* Wine prefix only; never shipped.
 *
 * Rust's standard library (python-calamine is written in Rust) takes its random numbers from
 * ProcessPrng, which Windows 10+ exports from bcryptprimitives.dll and Wine 8 lacks. This
 * forwards to advapi32's RtlGenRandom (SystemFunction036), which Wine does implement.
 */
#include <windows.h>

typedef BOOLEAN (WINAPI *RtlGenRandomFn)(PVOID, ULONG);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    static RtlGenRandomFn gen = NULL;
    if (!gen) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (!advapi) return FALSE;
        gen = (RtlGenRandomFn)(void *)GetProcAddress(advapi, "SystemFunction036");
        if (!gen) return FALSE;
    }
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!gen(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
