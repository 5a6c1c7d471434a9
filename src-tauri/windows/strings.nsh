; Every sentence of installer.nsi, in Vietnamese and in English. The rest of the pages'
; text is Modern UI's own translation (Debian's nsis, Vietnamese.nsh).

!macro STRING NAME VI EN
  LangString ${NAME} ${LANG_VIETNAMESE} "${VI}"
  LangString ${NAME} ${LANG_ENGLISH} "${EN}"
!macroend

!insertmacro STRING AllUsersNeedsAdmin \
  "Cài cho mọi người dùng (/ALLUSERS) cần quyền quản trị. Hãy chạy trình cài đặt bằng “Run as administrator” (Chạy với quyền quản trị), hoặc bỏ /ALLUSERS để cài cho riêng tài khoản này." \
  "Installing for all users (/ALLUSERS) needs administrator rights. Run the installer with “Run as administrator”, or leave out /ALLUSERS to install for this account only."

!insertmacro STRING ModeTitle \
  "Chọn cách cài đặt" \
  "Choose the installation type"

!insertmacro STRING ModeSubtitle \
  "Cài ${PRODUCT} cho riêng tài khoản này hay cho mọi người dùng máy tính." \
  "Install ${PRODUCT} for this account only or for everyone who uses this computer."

!insertmacro STRING ModeText \
  "Trình cài đặt đang chạy với quyền quản trị. Dù chọn cách nào, mỗi người dùng vẫn có dữ liệu hồ sơ riêng trong thư mục của mình." \
  "The installer is running with administrator rights. Either way, each user keeps their own dossiers' data in their own folder."

!insertmacro STRING ModeCurrentUser \
  "Chỉ cho tài khoản này" \
  "For this account only"

!insertmacro STRING ModeAllUsers \
  "Cho mọi người dùng máy tính này (vào Program Files)" \
  "For everyone who uses this computer (into Program Files)"

!insertmacro STRING AppRunning \
  "${PRODUCT} đang chạy. Hãy đóng mọi cửa sổ ${PRODUCT} rồi thử lại." \
  "${PRODUCT} is running. Close every ${PRODUCT} window, then try again."

!insertmacro STRING AppStillRunning \
  "${PRODUCT} vẫn đang chạy nên không thể thay tệp của nó." \
  "${PRODUCT} is still running, so its files cannot be replaced."

!insertmacro STRING RemovingOldCopy \
  "Gỡ bản cài cũ ở" \
  "Removing the earlier copy in"

!insertmacro STRING WebView2Found \
  "Đã có Microsoft Edge WebView2 Runtime" \
  "Microsoft Edge WebView2 Runtime found:"

!insertmacro STRING WebView2MissingShort \
  "Chưa có Microsoft Edge WebView2 Runtime: cửa sổ ${PRODUCT} cần nó." \
  "Microsoft Edge WebView2 Runtime is missing: the ${PRODUCT} window needs it."

!insertmacro STRING WebView2Missing \
  "Máy tính này chưa có Microsoft Edge WebView2 Runtime, thành phần của Windows mà cửa sổ ${PRODUCT} cần để hiển thị.$\r$\n$\r$\nWindows 10 và 11 thường đã có sẵn thành phần này (qua Windows Update). Nếu máy không nối mạng: trên một máy có mạng, tải bản cài ngoại tuyến “Evergreen Standalone Installer” (x64) của Microsoft tại$\r$\nhttps://developer.microsoft.com/microsoft-edge/webview2/$\r$\nrồi chép sang máy này và chạy nó.$\r$\n$\r$\n${PRODUCT} vẫn được cài đầy đủ; các lệnh motcua.exe trong cmd dùng được ngay." \
  "This computer does not have the Microsoft Edge WebView2 Runtime, the part of Windows that the ${PRODUCT} window needs to show.$\r$\n$\r$\nWindows 10 and 11 usually have it already (through Windows Update). If this computer is offline: on a computer with Internet access, download Microsoft's offline “Evergreen Standalone Installer” (x64) from$\r$\nhttps://developer.microsoft.com/microsoft-edge/webview2/$\r$\nthen copy it to this computer and run it.$\r$\n$\r$\n${PRODUCT} is installed all the same; the motcua.exe commands in cmd work right away."

!insertmacro STRING UninstallNeedsAdmin \
  "${PRODUCT} được cài cho mọi người dùng máy tính này; cần quyền quản trị để gỡ bỏ." \
  "${PRODUCT} is installed for everyone who uses this computer; removing it needs administrator rights."

!insertmacro STRING UnTitle \
  "Gỡ bỏ ${PRODUCT}" \
  "Uninstall ${PRODUCT}"

!insertmacro STRING UnSubtitle \
  "Gỡ ${PRODUCT} khỏi máy tính này." \
  "Remove ${PRODUCT} from this computer."

!insertmacro STRING UnText \
  "${PRODUCT} sẽ được gỡ khỏi thư mục:$\r$\n$INSTDIR$\r$\n$\r$\nDữ liệu hồ sơ (cơ sở dữ liệu, bản sao lưu, giấy tờ đã lưu, cấu hình quầy) được giữ lại trong thư mục:$\r$\n$DataDir$\r$\nKhi cài lại ${PRODUCT}, dữ liệu này được dùng tiếp." \
  "${PRODUCT} will be removed from the folder:$\r$\n$INSTDIR$\r$\n$\r$\nThe dossiers' data (database, backups, archived papers, desk settings) is kept in the folder:$\r$\n$DataDir$\r$\nWhen ${PRODUCT} is installed again, it carries on with this data."

!insertmacro STRING UnPurgeOption \
  "Xóa cả dữ liệu hồ sơ trong thư mục trên (không thể khôi phục)" \
  "Also delete the dossiers' data in the folder above (cannot be undone)"

!insertmacro STRING UnPurgeConfirm \
  "Toàn bộ hồ sơ, cơ sở dữ liệu và bản sao lưu trong$\r$\n$DataDir$\r$\nsẽ bị xóa vĩnh viễn. Bạn có chắc chắn không?" \
  "Every dossier, the database and the backups in$\r$\n$DataDir$\r$\nwill be deleted for good. Are you sure?"

!insertmacro STRING UnPurging \
  "Xóa dữ liệu hồ sơ:" \
  "Deleting the dossiers' data:"

!insertmacro STRING UnKept \
  "Giữ lại dữ liệu hồ sơ:" \
  "Keeping the dossiers' data:"
