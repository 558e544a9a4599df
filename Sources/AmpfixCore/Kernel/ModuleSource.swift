/// A kernel module's source tree that DKMS can build for a kernel the connector ships no module
/// for (faults 8 and 9): given with `--module-source`, already registered with DKMS, or found
/// under /usr/src.
public struct ModuleSource: Sendable, Equatable {
    public enum Origin: Sendable {
        case option
        case registered
        case usrSrc

        public var message: Message {
            switch self {
            case .option: return .msg("given with --module-source")
            case .registered: return .msg("registered with DKMS")
            case .usrSrc: return .msg("found under /usr/src")
            }
        }
    }

    public var module: String
    public var version: String
    /// The tree as it is now, inside the root.
    public var directory: String
    public var origin: Origin
    /// Its dkms.conf, or nil when it has none (ampfix then writes one).
    public var conf: DKMSConf?

    /// Where DKMS keeps a package's source: /usr/src/MODULE-VERSION.
    public var dkmsDirectory: String { "/usr/src/\(module)-\(version)" }

    /// "/srv/ampfsm (ampfsm 1.0, given with --module-source, with its own dkms.conf)"
    public var message: Message {
        conf == nil ? .msg("\(directory) (\(module) \(version), \(origin.message), no dkms.conf: ampfix writes one)")
            : .msg("\(directory) (\(module) \(version), \(origin.message), with its own dkms.conf)")
    }

    public var description: String { message.description }

    /// The version DKMS files the source under when its dkms.conf names none: the directory's
    /// name after "MODULE-" (as a published snapshot unpacks, ampfsm-68ee0d707d5b), else "user-built".
    static func version(of directory: String, module: String) -> String {
        let name = directory.split(separator: "/").last.map(String.init) ?? ""
        let suffix = name.hasPrefix(module + "-") ? String(name.dropFirst(module.count + 1)) : ""
        return isValidVersion(suffix) ? suffix : "user-built"
    }

    /// A version DKMS can file (a path component of its tree, a word on its command line).
    public static func isValidVersion(_ version: String) -> Bool {
        isWord(version, maximumLength: 64, also: "._+~-")
    }

    /// A module name DKMS files (`-m`, /usr/src/NAME-VERSION): a kernel module's name.
    public static func isValidModuleName(_ name: String) -> Bool {
        isWord(name, maximumLength: 64, also: "_-")
    }

    /// A kernel release DKMS builds for (`-k`, /lib/modules/RELEASE).
    public static func isValidKernelRelease(_ release: String) -> Bool { KernelRelease.isValid(release) }

    /// Letters, digits and `also`, not first a dot or a dash: one path component that climbs
    /// nowhere, one word that no shell splits and no program takes for an option.
    public static func isWord(_ word: String, maximumLength: Int, also: String) -> Bool {
        !word.isEmpty && word.utf8.count <= maximumLength && word.first != "." && word.first != "-"
            && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || also.unicodeScalars.contains($0) }
    }

    /// The module a source tree builds: its dkms.conf's BUILT_MODULE_NAME[0] or PACKAGE_NAME, else
    /// the first `obj-m := NAME.o` of its Kbuild or Makefile.
    static func moduleName(_ host: any HostFacts, directory: String, conf: DKMSConf?) throws -> String? {
        if let name = conf?.builtModuleName ?? conf?.packageName { return name }
        for file in ["Kbuild", "Makefile"] {
            guard let text = try host.readText(directory + "/" + file) else { continue }
            for raw in textLines(text) {
                let line = String(raw).trimming()
                guard line.hasPrefix("obj-m") else { continue }
                let value = line.drop { $0 != "=" }.dropFirst().split(separator: " ").first.map(String.init) ?? ""
                if value.hasSuffix(".o") { return String(value.dropLast(2)) }
            }
        }
        return nil
    }

    /// The source of `module`: the first `given` directory that builds it, else the newest
    /// version registered with DKMS, else the newest /usr/src/MODULE-VERSION. Notes say why a
    /// given directory was not taken.
    public static func find(_ module: String, given: [String], host: any HostFacts) -> (ModuleSource?, notes: [Message]) {
        var notes: [Message] = []
        for directory in given {
            do {
                let conf = try host.readText(directory + "/dkms.conf").map(DKMSConf.init(text:))
                guard host.exists(directory + "/Makefile") || host.exists(directory + "/Kbuild") else {
                    notes.append(.msg("--module-source \(directory): no Makefile or Kbuild there, so it is no kernel module source"))
                    continue
                }
                guard let name = try moduleName(host, directory: directory, conf: conf) else {
                    notes.append(.msg("--module-source \(directory): it names no module (no obj-m in its Kbuild or Makefile, no dkms.conf)"))
                    continue
                }
                guard name == module else { continue }
                let version = conf?.packageVersion ?? Self.version(of: directory, module: module)
                guard isValidVersion(version) else {
                    notes.append(.msg("--module-source \(directory): its dkms.conf's PACKAGE_VERSION '\(version)' is not a version DKMS can file"))
                    continue
                }
                return (ModuleSource(module: module, version: version, directory: directory, origin: .option, conf: conf), notes)
            } catch {
                notes.append(.msg("--module-source \(directory): \(error)"))
            }
        }
        let registered = (host.list("\(DKMSState.tree)/\(module)") ?? []).filter { isValidVersion($0) && host.exists("\(DKMSState.tree)/\(module)/\($0)/source") }
        if let version = registered.sorted(by: KernelVersion.newer).first {
            let directory = "/usr/src/\(module)-\(version)"
            let conf = (try? host.readText(directory + "/dkms.conf")).flatMap { $0 }.map(DKMSConf.init(text:))
            return (ModuleSource(module: module, version: version, directory: directory, origin: .registered, conf: conf), notes)
        }
        let unpacked = (host.list("/usr/src") ?? []).filter { $0.hasPrefix(module + "-") }
            .map { String($0.dropFirst(module.count + 1)) }
            .filter { isValidVersion($0) && (host.exists("/usr/src/\(module)-\($0)/Makefile") || host.exists("/usr/src/\(module)-\($0)/Kbuild")) }
        for version in unpacked.sorted(by: KernelVersion.newer) {
            let directory = "/usr/src/\(module)-\(version)"
            let conf = (try? host.readText(directory + "/dkms.conf")).flatMap { $0 }.map(DKMSConf.init(text:))
            // DKMS files it under its dkms.conf's version, which becomes a path and an argument.
            let filed = conf?.packageVersion ?? version
            guard isValidVersion(filed) else {
                notes.append(.msg("\(directory): its dkms.conf's PACKAGE_VERSION '\(filed)' is not a version DKMS can file"))
                continue
            }
            return (ModuleSource(module: module, version: filed, directory: directory, origin: .usrSrc, conf: conf), notes)
        }
        return (nil, notes)
    }
}

/// Where DKMS stands with one module version and one kernel, read from its tree
/// (/var/lib/dkms/MODULE/VERSION/source once added, …/KERNEL/ARCH/module/MODULE.ko once built,
/// /var/lib/dkms/MODULE/kernel-KERNEL-ARCH once installed), as `dkms status` reads it.
public struct DKMSState: Sendable, Equatable {
    public static let tree = "/var/lib/dkms"

    public var added: Bool
    public var built: Bool
    public var installed: Bool

    public init(added: Bool, built: Bool, installed: Bool) {
        (self.added, self.built, self.installed) = (added, built, installed)
    }

    public static func read(_ host: any HostFacts, module: String, version: String, kernel: String) -> DKMSState {
        let base = "\(tree)/\(module)/\(version)"
        let added = host.exists(base + "/source")
        let built = (host.list(base + "/" + kernel) ?? []).contains { arch in
            (host.list("\(base)/\(kernel)/\(arch)/module") ?? []).contains { $0.hasPrefix(module + ".ko") }
        }
        let installed = (host.list("\(tree)/\(module)") ?? []).contains { entry in
            guard entry.hasPrefix("kernel-\(kernel)-"), let target = try? host.resolve("\(tree)/\(module)/\(entry)") else { return false }
            return target.hasPrefix(base + "/")
        }
        return DKMSState(added: added, built: built, installed: installed)
    }

    /// "added, built and installed for 6.1.0-18-amd64"
    public func description(kernel: String) -> Message {
        if installed { return .msg("added, built and installed for \(kernel)") }
        if built { return .msg("added and built for \(kernel), not installed") }
        if added { return .msg("added, not built for \(kernel)") }
        return .msg("not added to DKMS")
    }
}
