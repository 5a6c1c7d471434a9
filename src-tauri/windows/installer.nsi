; The Windows installer of Một Cửa, built on Linux by build.sh with Debian's makensis.
;
; Per-user by default (no administrator rights, into %LOCALAPPDATA%\Programs\MotCua); when
; the installer runs as administrator it offers per-machine (into Program Files) too. For IT
; staff: /S (silent), /CURRENTUSER, /ALLUSERS, /D=<folder> (last); the uninstaller takes /S and
; /PURGE. The dossiers' data (%LOCALAPPDATA%\motcua) survives an uninstall unless asked.
;
; build.sh passes: VERSION (Cargo.toml's), PUBLISHER (tauri.conf.json's), EXE, COM and
; LOADER (motcua.exe, its console-marked twin motcua.com for cmd, and the WebView2Loader.dll
; they import), ICON and OUTFILE; QUICK for the test command's build (stored, not packed).

Unicode true
; A 64-bit installer for a 64-bit program: no registry or System32 redirection to undo, and
; it runs under a Wine without 32-bit support (the tests).
Target amd64-unicode
ManifestDPIAware true
!ifdef QUICK
; The test command's build (build.sh --profile wine): stored, not packed. LZMA took most of
; a minute and zlib 14 s; the tests install it the same way, from a local disk.
SetCompress off
!else
SetCompressor /SOLID lzma
; motcua.com repeats motcua.exe but for two bytes: a window wider than the exe stores it once.
SetCompressorDictSize 32
!endif
; Per-machine only when the person already runs the installer as administrator: a UAC prompt
; for a per-user install would teach clerks to click "Yes" on anything.
RequestExecutionLevel user

!ifndef VERSION | PUBLISHER | EXE | COM | LOADER | ICON | OUTFILE
  !error "run build.sh, which defines VERSION, PUBLISHER, EXE, COM, LOADER, ICON and OUTFILE"
!endif

!define PRODUCT "Một Cửa"
; ASCII for folder and registry names that scripts and support staff type.
!define FOLDER "MotCua"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\MotCua"
; The app's own data folder under %LOCALAPPDATA% (context.rs, data_dir) and WebView2's
; profile, named after the identifier in tauri.conf.json.
!define DATAFOLDER "motcua"
!define WEBVIEWFOLDER "vn.motcua.desk"
!define WEBVIEW2_CLIENT "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define SHORTCUT "${PRODUCT}.lnk"
; What Windows answers when a program needs rights it was not started with.
!define ERROR_ELEVATION_REQUIRED 740

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include nsDialogs.nsh

Name "${PRODUCT}"
OutFile "${OUTFILE}"
; Only the default for .onInit to recognise; ApplyMode sets the real one.
InstallDir "$LOCALAPPDATA\Programs\${FOLDER}"
BrandingText "${PRODUCT} ${VERSION}"

Var AllUsers        ; 1: per-machine, 0: per-user
Var IsAdmin         ; 1 when the installer runs with administrator rights
Var DirGiven        ; 1 when /D= chose the folder
Var ModeRadioAll
Var ModeRadioUser
Var Purge           ; 1: the uninstaller also deletes the data folder
Var PurgeBox
Var DataDir         ; the uninstalling user's data folder

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_WINDOWTITLE "Ngôn ngữ / Language"
!define MUI_LANGDLL_INFO "Chọn ngôn ngữ của trình cài đặt.$\r$\nChoose the installer's language."
; Remembered in the app's uninstall entry, in the install mode's hive, for the uninstaller.
!define MUI_LANGDLL_REGISTRY_ROOT SHCTX
!define MUI_LANGDLL_REGISTRY_KEY "${UNINSTKEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "Installer Language"

!insertmacro MUI_PAGE_WELCOME
Page custom ModePageShow ModePageLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp
!insertmacro MUI_PAGE_FINISH

UninstPage custom un.ConfirmPageShow un.ConfirmPageLeave
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_UNPAGE_FINISH

; Vietnamese first: the default, and first in the language list.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

!include "strings.nsh"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
!macro VERSION_KEYS LANG DESCRIPTION
  VIAddVersionKey /LANG=${LANG} "ProductName" "${PRODUCT}"
  VIAddVersionKey /LANG=${LANG} "ProductVersion" "${VERSION}"
  VIAddVersionKey /LANG=${LANG} "FileVersion" "${VERSION}"
  VIAddVersionKey /LANG=${LANG} "CompanyName" "${PUBLISHER}"
  VIAddVersionKey /LANG=${LANG} "LegalCopyright" "${PUBLISHER}"
  VIAddVersionKey /LANG=${LANG} "FileDescription" "${DESCRIPTION}"
!macroend
!insertmacro VERSION_KEYS ${LANG_VIETNAMESE} "Trình cài đặt ${PRODUCT}"
!insertmacro VERSION_KEYS ${LANG_ENGLISH} "${PRODUCT} Setup"

; ---------------------------------------------------------------------------------------
; Shared by the installer and the uninstaller.

!macro SET_IS_ADMIN
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 == "Admin"
    StrCpy $IsAdmin 1
  ${Else}
    StrCpy $IsAdmin 0
  ${EndIf}
!macroend

; Windows refuses to open a running program for writing: that is how a running Một Cửa is
; found. Interactively the person is asked to close it; a silent run (IT staff, at night)
; ends it, since nothing is lost: every change is saved as it is made.
; Sets $0 to 1 when FILE is there and cannot be opened for writing.
!macro FLAG_IF_LOCKED FILE
  ${If} ${FileExists} "${FILE}"
    ClearErrors
    FileOpen $2 "${FILE}" a
    ${If} ${Errors}
      StrCpy $0 1
    ${Else}
      FileClose $2
    ${EndIf}
  ${EndIf}
!macroend

!macro WAIT_FOR_APP_CLOSED PREFIX
  Function ${PREFIX}WaitForAppClosed
    Push $0
    Push $1
    Push $2
    StrCpy $1 0
    ${Do}
      StrCpy $0 0
      !insertmacro FLAG_IF_LOCKED "$INSTDIR\motcua.exe"
      !insertmacro FLAG_IF_LOCKED "$INSTDIR\motcua.com"
      ${If} $0 = 0
        ${Break}
      ${EndIf}
      ${If} ${Silent}
        ${If} $1 >= 20
          DetailPrint "$(AppStillRunning)"
          SetErrorLevel 5
          Quit
        ${EndIf}
        ${If} $1 = 0
          nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM motcua.exe /IM motcua.com'
          Pop $0
        ${EndIf}
        IntOp $1 $1 + 1
        Sleep 500
      ${Else}
        ${If} ${Cmd} `MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" IDCANCEL`
          Abort "$(AppStillRunning)"
        ${EndIf}
      ${EndIf}
    ${Loop}
    Pop $2
    Pop $1
    Pop $0
  FunctionEnd
!macroend
!insertmacro WAIT_FOR_APP_CLOSED ""
!insertmacro WAIT_FOR_APP_CLOSED "un."

; ---------------------------------------------------------------------------------------
; Installer

Function .onInit
  !insertmacro SET_IS_ADMIN

  ${If} $INSTDIR == "$LOCALAPPDATA\Programs\${FOLDER}"
    StrCpy $DirGiven 0
  ${Else}
    StrCpy $DirGiven 1
  ${EndIf}

  ; An administrator who installed per-machine before upgrades per-machine again.
  StrCpy $AllUsers 0
  ${If} $IsAdmin = 1
    ReadRegStr $0 HKLM "${UNINSTKEY}" "InstallLocation"
    ReadRegStr $1 HKCU "${UNINSTKEY}" "InstallLocation"
    ${If} $0 != ""
    ${AndIf} $1 == ""
      StrCpy $AllUsers 1
    ${EndIf}
  ${EndIf}

  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/CURRENTUSER" $0
  ${IfNot} ${Errors}
    StrCpy $AllUsers 0
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $0
  ${IfNot} ${Errors}
    ${If} $IsAdmin != 1
      MessageBox MB_OK|MB_ICONSTOP "$(AllUsersNeedsAdmin)" /SD IDOK
      SetErrorLevel ${ERROR_ELEVATION_REQUIRED}
      Quit
    ${EndIf}
    StrCpy $AllUsers 1
  ${EndIf}
  Call ApplyMode

  StrCpy $LANGUAGE ${LANG_VIETNAMESE}
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

; The shell folders, the registry hive and the default folder of the chosen mode; a folder
; from an earlier install of that mode is kept, so an upgrade lands on top of it.
Function ApplyMode
  ${If} $AllUsers = 1
    SetShellVarContext all
    StrCpy $0 "$PROGRAMFILES64\${FOLDER}"
  ${Else}
    SetShellVarContext current
    StrCpy $0 "$LOCALAPPDATA\Programs\${FOLDER}"
  ${EndIf}
  ReadRegStr $1 SHCTX "${UNINSTKEY}" "InstallLocation"
  ${If} $1 != ""
    StrCpy $0 $1
  ${EndIf}
  ${If} $DirGiven != 1
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

; Shown only to an administrator: everyone else installs for themselves.
Function ModePageShow
  ${If} $IsAdmin != 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "$(ModeTitle)" "$(ModeSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 36u "$(ModeText)"
  Pop $0
  ${NSD_CreateRadioButton} 10u 44u -10u 12u "$(ModeCurrentUser)"
  Pop $ModeRadioUser
  ${NSD_CreateRadioButton} 10u 64u -10u 12u "$(ModeAllUsers)"
  Pop $ModeRadioAll
  ${If} $AllUsers = 1
    ${NSD_Check} $ModeRadioAll
  ${Else}
    ${NSD_Check} $ModeRadioUser
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function ModePageLeave
  ${NSD_GetState} $ModeRadioAll $0
  ${If} $0 = ${BST_CHECKED}
    StrCpy $AllUsers 1
  ${Else}
    StrCpy $AllUsers 0
  ${EndIf}
  Call ApplyMode
FunctionEnd

; An installer that runs as administrator starts the app through Explorer, so the desk
; window runs with the clerk's ordinary rights.
Function LaunchApp
  ${If} $IsAdmin = 1
    Exec '"$WINDIR\explorer.exe" "$INSTDIR\motcua.exe"'
  ${Else}
    Exec '"$INSTDIR\motcua.exe"'
  ${EndIf}
FunctionEnd

; An install of the same mode in another folder is removed first (its uninstaller keeps the
; data), so one computer never has two copies behind one Start-menu entry.
Function RemoveOtherCopy
  ReadRegStr $0 SHCTX "${UNINSTKEY}" "InstallLocation"
  ${If} $0 == ""
  ${OrIf} $0 == $INSTDIR
    Return
  ${EndIf}
  ${If} ${FileExists} "$0\uninstall.exe"
    DetailPrint "$(RemovingOldCopy) $0"
    ExecWait '"$0\uninstall.exe" /S _?=$0' $1
    Delete "$0\uninstall.exe"
    RMDir "$0"
  ${EndIf}
FunctionEnd

Function CheckWebView2
  ; Where the Evergreen runtime registers itself (Microsoft's documented detection): the
  ; 32-bit machine hive, the 64-bit one, then the user's.
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_CLIENT}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "$(WebView2MissingShort)"
    MessageBox MB_OK|MB_ICONINFORMATION "$(WebView2Missing)" /SD IDOK
  ${Else}
    DetailPrint "$(WebView2Found) $0"
  ${EndIf}
FunctionEnd

Section "-Install"
  Call RemoveOtherCopy
  SetOutPath "$INSTDIR"
  Call WaitForAppClosed
  File "/oname=motcua.exe" "${EXE}"
  File "/oname=motcua.com" "${COM}"
  File "/oname=WebView2Loader.dll" "${LOADER}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\motcua.exe" "" "$INSTDIR\motcua.exe" 0
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\motcua.exe" "" "$INSTDIR\motcua.exe" 0

  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\motcua.exe,0"
  WriteRegStr SHCTX "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegStr SHCTX "${UNINSTKEY}" "Installer Language" "$LANGUAGE"
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K /G=0" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTKEY}" "EstimatedSize" $0

  Call CheckWebView2
SectionEnd

; ---------------------------------------------------------------------------------------
; Uninstaller

Function un.onInit
  !insertmacro SET_IS_ADMIN
  ; The uninstaller of the per-machine copy is the one HKLM points at.
  ReadRegStr $0 HKLM "${UNINSTKEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $0 == $INSTDIR
    StrCpy $AllUsers 1
    SetShellVarContext all
  ${Else}
    StrCpy $AllUsers 0
    SetShellVarContext current
  ${EndIf}
  !insertmacro MUI_UNGETLANGUAGE

  ${GetParameters} $R0
  ${If} $AllUsers = 1
  ${AndIf} $IsAdmin != 1
    ; Started from Settings without rights: ask Windows for them (UAC) and hand over.
    ${IfNot} ${Silent}
      ClearErrors
      ExecShell "runas" '"$EXEPATH"' '$R0 _?=$INSTDIR'
      ${IfNot} ${Errors}
        Quit
      ${EndIf}
    ${EndIf}
    MessageBox MB_OK|MB_ICONSTOP "$(UninstallNeedsAdmin)" /SD IDOK
    SetErrorLevel ${ERROR_ELEVATION_REQUIRED}
    Quit
  ${EndIf}

  ClearErrors
  ${GetOptions} $R0 "/PURGE" $0
  ${If} ${Errors}
    StrCpy $Purge 0
  ${Else}
    StrCpy $Purge 1
  ${EndIf}

  ; The data belongs to whoever uninstalls, also for a per-machine copy.
  SetShellVarContext current
  StrCpy $DataDir "$LOCALAPPDATA\${DATAFOLDER}"
  ${If} $AllUsers = 1
    SetShellVarContext all
  ${EndIf}
FunctionEnd

Function un.ConfirmPageShow
  !insertmacro MUI_HEADER_TEXT "$(UnTitle)" "$(UnSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 90u "$(UnText)"
  Pop $0
  ${NSD_CreateCheckbox} 0 100u 100% 12u "$(UnPurgeOption)"
  Pop $PurgeBox
  ${If} $Purge = 1
    ${NSD_Check} $PurgeBox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.ConfirmPageLeave
  ${NSD_GetState} $PurgeBox $0
  ${If} $0 = ${BST_CHECKED}
    ${IfNot} ${Cmd} `MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(UnPurgeConfirm)" IDYES`
      Abort
    ${EndIf}
    StrCpy $Purge 1
  ${Else}
    StrCpy $Purge 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.WaitForAppClosed
  Delete "$INSTDIR\motcua.exe"
  Delete "$INSTDIR\motcua.com"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  ; Only if empty: the folder may have been chosen with other files in it.
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  DeleteRegKey SHCTX "${UNINSTKEY}"

  ${If} $Purge = 1
    SetShellVarContext current
    DetailPrint "$(UnPurging) $DataDir"
    RMDir /r "$DataDir"
    RMDir /r "$LOCALAPPDATA\${WEBVIEWFOLDER}"
  ${Else}
    DetailPrint "$(UnKept) $DataDir"
  ${EndIf}
SectionEnd
