// System-library shim for GitHub's cmark-gfm (Debian: libcmark-gfm-dev and
// libcmark-gfm-extensions-dev): CommonMark with the GitHub extensions
// (tables, strikethrough, autolinks, task lists, the tag filter), used to
// turn a rendered notebook's Markdown into its HTML page.
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
