/// Tests that train for thousands of steps run only in optimised builds
/// (`swift test -c release`, which CI uses); a debug build would take hours.
#if DEBUG
let optimisedBuild = false
#else
let optimisedBuild = true
#endif

let releaseOnlyReason: Comment = "trains for thousands of steps; run with swift test -c release"

import Testing
