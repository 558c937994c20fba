; /DB=VALUE from the installer's command line, for clerkapp.nsi's .onInit.
; NSIS's GetOptions ends a value at the next "/", which cut /DB=postgresql://host/clerkapp to
; "postgresql:". Here a value runs to the next space or, quoted ("/DB=C:\My Store\clerk.db" or
; /DB="C:\My Store\clerk.db"), to its closing quote; the option is found only at the start or
; after a space or a quote, and in any case (/db= too).
; In: $R0 the parameters. Out: $R1 the value; the error flag set when there is no /DB=.

Function ReadDbOption
  Push $R2 ; where we are
  Push $R3 ; the parameters' length
  Push $R4 ; a character
  Push $R5 ; the character that ends the value: a space or a quote
  StrLen $R3 $R0
  StrCpy $R2 0
  StrCpy $R1 ""
  find:
    IntCmp $R2 $R3 absent 0 absent
    StrCpy $R4 $R0 4 $R2
    StrCmp $R4 "/DB=" 0 next
    IntCmp $R2 0 found
    IntOp $R4 $R2 - 1
    StrCpy $R4 $R0 1 $R4
    StrCmp $R4 " " found
    StrCmp $R4 '"' found_quoted
  next:
    IntOp $R2 $R2 + 1
    Goto find
  found:
    StrCpy $R5 " "
    IntOp $R2 $R2 + 4
    StrCpy $R4 $R0 1 $R2
    StrCmp $R4 '"' 0 take
    StrCpy $R5 '"'
    IntOp $R2 $R2 + 1
    Goto take
  found_quoted:
    StrCpy $R5 '"'
    IntOp $R2 $R2 + 4
  take:
    StrCpy $R4 $R0 1 $R2
    StrCmp $R4 "" taken
    StrCmp $R4 $R5 taken
    StrCpy $R1 "$R1$R4"
    IntOp $R2 $R2 + 1
    Goto take
  taken:
    ClearErrors
    Goto done
  absent:
    SetErrors
  done:
  Pop $R5
  Pop $R4
  Pop $R3
  Pop $R2
FunctionEnd
