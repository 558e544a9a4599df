import Foundation

/// The connector's eBPF objects, built from the published source by
/// packaging/bpf/build-objects.sh as the packages build them, once per source and script (kept
/// under .build/ampfix-bpf-objects/, keyed by both hashes). The source is the tarball
/// AMPFIX_EBPF_SOURCE names, else the one in ../shared/sources beside the checkout.
public enum BPFObjectsFixture {
    /// The directory of built objects, or why there is none (a test then says it skipped).
    public static let built: Result<String, Unavailable> = build()

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public static var directory: String? { try? built.get() }

    /// Why the objects' tests skip, or nil when they run.
    public static var skipReason: String? {
        if case .failure(let unavailable) = built { return unavailable.description }
        return nil
    }

    public static var tarball: String? {
        if let given = ProcessInfo.processInfo.environment["AMPFIX_EBPF_SOURCE"] { return given }
        let sources = PackageLayout.root + "/../shared/sources"
        let name = (try? FileManager.default.contentsOfDirectory(atPath: sources))?
            .filter { $0.hasPrefix("secure-endpoint-ebpf-") && $0.hasSuffix(".tar.gz") }.sorted().last
        return name.map { sources + "/" + $0 }
    }

    private static func build() -> Result<String, Unavailable> {
        guard let tarball else { return .failure(Unavailable(description: "skipped: no secure-endpoint-ebpf-*.tar.gz in ../shared/sources and no AMPFIX_EBPF_SOURCE")) }
        let script = PackageLayout.root + "/packaging/bpf/build-objects.sh"
        guard let key = try? Command.run("/bin/sh", ["-c", "cat \"$0\" \"$1\" | sha256sum | cut -c1-16", tarball, script]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
            return .failure(Unavailable(description: "skipped: cannot hash \(tarball)"))
        }
        let directory = PackageLayout.root + "/.build/ampfix-bpf-objects/" + key
        if FileManager.default.fileExists(atPath: directory + "/ORIGIN") { return .success(directory) }
        let partial = directory + ".partial-\(getpid())"
        guard let result = try? Command.run("/bin/bash", [script, tarball, partial]), result.status == 0 else {
            try? FileManager.default.removeItem(atPath: partial)
            let said = (try? Command.run("/bin/bash", [script, tarball, partial]).stderr) ?? ""
            return .failure(Unavailable(description: "skipped: build-objects.sh failed: \(said) (scripts/deps.sh installs clang and libbpf-dev)"))
        }
        if rename(partial, directory) != 0 { try? FileManager.default.removeItem(atPath: partial) }
        return .success(directory)
    }

    /// The running kernel's configuration (/proc/config.gz), to know what a live probe must find.
    public static var runningConfig: String? {
        guard let result = try? Command.run("/bin/sh", ["-c", "zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r)"]), result.status == 0 else { return nil }
        return result.stdout.isEmpty ? nil : result.stdout
    }
}
