; clerkapp installer (NSIS 3, 64-bit). Built by installer/build-windows.sh or the Windows workflow:
;   makensis -DVERSION=0.1.0 -DSRCDIR=<PyInstaller dist\clerkapp> -DOUTFILE=<setup.exe> clerkapp.nsi
;
; Machine-wide install to Program Files, Start-menu shortcut for all users, Apps & Features entry.
; Silent:    clerkapp-setup.exe /S [/DESKTOP] [/DB=postgresql://...] [/D=C:\path]  (/D must come last)
; /DB= points every user of this PC at a store (the court's shared PostgreSQL store, or a path):
; written to clerkapp.ini beside clerkapp.exe ([store] db=...), which the app reads when neither
; --db nor CLERKAPP_DB names one and the clerk has not opened another (clerkapp/paths.py). An
; upgrade without /DB= keeps the store set before; /DB=none removes it.
; Uninstall: "C:\Program Files\clerkapp\uninstall.exe" /S [/DELETEUSERDATA]
; The clerk's data (database, settings, logs) lives in %LOCALAPPDATA%\clerkapp, which this
; installer never writes; an upgrade or an uninstall leaves it alone unless /DELETEUSERDATA (or
; the box on the uninstaller's page) asks for the current user's copy to go too.

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=<the PyInstaller one-folder bundle>"
!endif
!ifndef OUTFILE
  !define OUTFILE "clerkapp-${VERSION}-setup.exe"
!endif

!define APP "clerkapp"
!define PUBLISHER "clerkapp project"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define ICON "${SRCDIR}\_internal\resources\icons\clerkapp.ico"
!define INSTALL_INI "clerkapp.ini"  ; clerkapp.paths.INSTALL_SETTINGS

Var DB  ; /DB= on the command line: the store every user opens by default

Unicode true
Target amd64-unicode
; lzma: the smallest installer; -DCOMPRESSOR=zlib builds several times faster, about 30% larger.
!ifndef COMPRESSOR
  !define COMPRESSOR lzma
!endif
SetCompressor /SOLID ${COMPRESSOR}
!if ${COMPRESSOR} == lzma
  SetCompressorDictSize 32
!endif
RequestExecutionLevel admin
ManifestDPIAware true

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "MIT licence"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "dboption.nsh"  ; /DB= read from the command line

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\clerkapp.exe"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "clerkapp (required)" SecApp
  SectionIn RO
  SetShellVarContext all
  ; Upgrade in place: the program files of an earlier version go first, so no stale library
  ; survives; nothing of the clerk's lives here (that is %LOCALAPPDATA%\clerkapp).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\clerkapp.exe"
  Delete "$INSTDIR\clerkapp-cli.exe"
  SetOutPath "$INSTDIR"
  File /r "${SRCDIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  ${If} $DB == "none"
    Delete "$INSTDIR\${INSTALL_INI}"
  ${ElseIf} $DB != ""
    WriteINIStr "$INSTDIR\${INSTALL_INI}" "store" "db" "$DB"
  ${EndIf}

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\clerkapp.exe" "" "$INSTDIR\clerkapp.exe" 0

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\clerkapp.exe,0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  SetShellVarContext all
  CreateShortCut "$DESKTOP\${APP}.lnk" "$INSTDIR\clerkapp.exe" "" "$INSTDIR\clerkapp.exe" 0
SectionEnd

Section "un.${APP} program files" SecUnApp
  SectionIn RO
  SetShellVarContext all
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\clerkapp.exe"
  Delete "$INSTDIR\clerkapp-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  Delete "$INSTDIR\${INSTALL_INI}"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd

; Off unless asked for: the database is the court's record of every decision.
Section /o "un.Also delete my clerkapp data (database, settings, logs)" SecUnData
  SetShellVarContext current
  RMDir /r "$LOCALAPPDATA\${APP}"
  RMDir /r "$APPDATA\${APP}"  ; the anchors of the audit chains this user's stores were checked against
SectionEnd

; The callbacks come after the sections: they name the sections' index symbols.
Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP} needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  ; An upgrade goes where the earlier version is (unless /D= says otherwise).
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APP}"
    StrCpy $INSTDIR $0
  ${EndIf}
  ${GetParameters} $1
  ClearErrors
  ${GetOptions} $1 "/DESKTOP" $2
  ${IfNot} ${Errors}
    SectionSetFlags ${SecDesktop} ${SF_SELECTED}
  ${EndIf}
  StrCpy $R0 $1
  Call ReadDbOption  ; not GetOptions: a store's address has "/" in it
  ${If} ${Errors}
    StrCpy $DB ""
  ${Else}
    StrCpy $DB $R1
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
  ${GetParameters} $1
  ClearErrors
  ${GetOptions} $1 "/DELETEUSERDATA" $2
  ${IfNot} ${Errors}
    SectionSetFlags ${SecUnData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd
