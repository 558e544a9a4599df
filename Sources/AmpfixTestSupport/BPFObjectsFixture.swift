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

    /// The programs' names, from the built objects' BTF (not a list written by hand).
    public static func programNames() throws -> Set<String> {
        let objects = try Command.run("/bin/sh", ["-c", "for f in \"$0\"/*.bpf.o; do bpftool btf dump file \"$f\" 2>/dev/null | sed -n \"s/.*FUNC '\\([a-z_0-9]*\\)'.*linkage=global.*/\\1/p\"; done", directory ?? ""])
        return Set(objects.stdout.split(separator: "\n").map(String.init))
    }

    /// The loaded programs of these names (`bpftool -j prog show`): id and when each was loaded,
    /// in seconds since the epoch.
    public static func loaded(_ names: Set<String>) throws -> [(id: Int, loadedAt: Int)] {
        let shown = try Command.run("/usr/sbin/bpftool", ["-j", "prog", "show"]).stdout
        let programs = (try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [[String: Any]]) ?? []
        return programs.compactMap { program in
            // A kernel without the programs' BTF names them by their first 15 characters.
            guard let name = program["name"] as? String, names.contains(name) || names.contains(where: { $0.hasPrefix(name) && name.count >= 15 }),
                  let id = program["id"] as? Int else { return nil }
            return (id, program["loaded_at"] as? Int ?? 0)
        }
    }

    /// The programs of these names loaded by the second `before` (seconds since the epoch) that
    /// are still loaded 3 s later. The kernel frees a program after its last descriptor is gone
    /// and an RCU grace period; programs another test's probe loads meanwhile live under a second.
    public static func leftLoaded(_ names: Set<String>, before: Int) throws -> [Int] {
        var left = try loaded(names).filter { $0.loadedAt <= before }
        for _ in 0..<30 where !left.isEmpty {
            usleep(100_000)
            left = try loaded(names).filter { $0.loadedAt <= before }
        }
        return left.map(\.id)
    }
}
