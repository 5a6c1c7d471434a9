/* A stand-in "PDF viewer" for the Wine tests: registered as the program that opens .pdf
 * files, it writes the command line it was started with (UTF-8) to recorded.txt beside
 * itself, so a test can check that a file name reached it whole. */
#include <windows.h>

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR args, int show)
{
    WCHAR path[MAX_PATH];
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return 1;
    while (n > 0 && path[n - 1] != L'\\')
        n--;
    lstrcpyW(path + n, L"recorded.txt");
    LPCWSTR line = GetCommandLineW();
    int bytes = WideCharToMultiByte(CP_UTF8, 0, line, -1, NULL, 0, NULL, NULL);
    char *utf8 = HeapAlloc(GetProcessHeap(), 0, bytes);
    if (!utf8)
        return 1;
    WideCharToMultiByte(CP_UTF8, 0, line, -1, utf8, bytes, NULL, NULL);
    HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return 1;
    DWORD written;
    WriteFile(f, utf8, bytes - 1, &written, NULL);
    CloseHandle(f);
    return 0;
}
