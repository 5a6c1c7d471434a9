//! The static page citizens' phones open (`ui/status/`), compiled into the binary so the desk
//! can publish it to the public host with nothing else installed. It fetches the blob named in
//! the URL's fragment from its own folder and decrypts it with WebCrypto.

/// One file of the page, as written next to the blobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageFile {
    pub name: &'static str,
    pub content_type: &'static str,
    pub text: &'static str,
}

const FILES: [PageFile; 3] = [
    PageFile {
        name: "index.html",
        content_type: "text/html; charset=utf-8",
        text: include_str!("../../../../ui/status/index.html"),
    },
    PageFile {
        name: "status.css",
        content_type: "text/css; charset=utf-8",
        text: include_str!("../../../../ui/status/status.css"),
    },
    PageFile {
        name: "status.js",
        content_type: "text/javascript; charset=utf-8",
        text: include_str!("../../../../ui/status/status.js"),
    },
];

/// The page's files, `index.html` first.
pub fn page_files() -> &'static [PageFile] {
    &FILES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        for file in page_files() {
            for forbidden in ["http://", "https://", "//cdn", "@import", "<iframe"] {
                assert!(
                    !file.text.contains(forbidden),
                    "{} contains {forbidden}",
                    file.name
                );
            }
        }
        let html = page_files()[0].text;
        assert!(html.contains("status.css") && html.contains("status.js"));
        assert!(html.contains("lang=\"vi\""));
    }
}
