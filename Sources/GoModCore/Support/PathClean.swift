/// Go's `path.Clean` on raw bytes: the shortest path equivalent to `path` by purely lexical
/// processing (collapse `//`, drop `.` elements, resolve `..` against a preceding element,
/// drop `..` at the root of a rooted path, no trailing slash; `""` becomes `"."`).
package func goPathClean(_ path: [UInt8]) -> [UInt8] {
    let slash: UInt8 = 0x2F, dot: UInt8 = 0x2E
    if path.isEmpty { return [dot] }
    let rooted = path[0] == slash
    var out: [UInt8] = []
    out.reserveCapacity(path.count)
    if rooted { out.append(slash) }
    var dotdot = out.count  // index in `out` before which `..` cannot backtrack
    var r = 0
    let n = path.count
    while r < n {
        if path[r] == slash {
            r += 1
        } else if path[r] == dot && (r + 1 == n || path[r + 1] == slash) {
            r += 1
        } else if path[r] == dot && r + 1 < n && path[r + 1] == dot && (r + 2 == n || path[r + 2] == slash) {
            r += 2
            if out.count > dotdot {
                var w = out.count - 1
                while w > dotdot && out[w] != slash { w -= 1 }
                out.removeSubrange(w...)
            } else if !rooted {
                if !out.isEmpty { out.append(slash) }
                out.append(dot)
                out.append(dot)
                dotdot = out.count
            }
        } else {
            if (rooted && out.count != 1) || (!rooted && !out.isEmpty) { out.append(slash) }
            while r < n && path[r] != slash {
                out.append(path[r])
                r += 1
            }
        }
    }
    if out.isEmpty { return [dot] }
    return out
}
