/* Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's standard library (1.78 and
 * later) calls for random numbers; Windows 10 and 11 have it. The Wine tests build this
 * stand-in into their prefix's system32. It is never shipped with the app. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
