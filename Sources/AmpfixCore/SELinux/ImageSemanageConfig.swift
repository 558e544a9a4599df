/// `/etc/selinux/semanage.conf` of an image, as libsemanage would read it under `--root`. The
/// file can name programs libsemanage runs (`[verify kernel]`, `[setfiles]`, `[load_policy]` …
/// sections with a `path`), a compiler directory it runs converters from, and another root or
/// store root: from an image nobody vouches for, each would run a program of the image's
/// choosing as root on this host or lead libsemanage out of the root. Only settings that shape
/// the policy it builds are accepted.
public enum ImageSemanageConfig {
    /// Keys that change only how the policy is built and stored, never where or with what.
    public static let acceptedKeys: Set<String> = [
        "module-store", "policy-version", "target-platform", "expand-check", "file-mode", "save-previous", "save-linked",
        "disable-genhomedircon", "handle-unknown", "bzip-blocksize", "bzip-small", "remove-hll", "optimize-policy",
        "ignore-module-cache", "multiple-decls", "usepasswd", "ignoredirs",
    ]

    /// The lines ampfix refuses, each with its 1-based number and why; empty when the file may
    /// be handed to libsemanage.
    public static func refusals(_ text: String) -> [String] {
        var refused: [String] = []
        var inSection = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimming(" \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            if line.hasPrefix("[") {
                inSection = line.lowercased() != "[end]"
                if inSection {
                    refused.append("line \(number): \(line): a section naming a program libsemanage would run on this host")
                }
                continue
            }
            if inSection { continue }  // the section's own path and args: refused with it
            let parts = line.split(separator: "=", maxSplits: 1).map { String($0).trimming(" \t\"") }
            let key = parts[0].lowercased()
            if !acceptedKeys.contains(key) {
                let why: String
                switch key {
                case "root", "store-root": why = "it would move the store away from the root ampfix checked"
                case "compiler-directory": why = "libsemanage would run its converters from there"
                case "path", "args": why = "a program for libsemanage to run"
                default: why = "not a setting ampfix knows to be harmless"
                }
                refused.append("line \(number): \(key): \(why)")
            } else if key == "module-store", parts.count == 2, parts[1] != "direct" {
                refused.append("line \(number): module-store = \(parts[1]): only a direct store is read under --root")
            }
        }
        return refused
    }
}
