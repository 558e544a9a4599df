import AmpfixCore
import Glibc

/// Builds and removes kernel modules with DKMS, the `dkms` command (there is no library), on
/// the live host only: a build runs the system's own compiler, make and the kernel's build
/// scripts, which ampfix does not run for a tree under --root. Where DKMS stands is read from
/// its tree (`DKMSState`), not from `dkms status`.
public struct DKMSChanges: ChangeApplier {
    let fs: RootedFileSystem
    let facts: HostFiles

    public init(fs: RootedFileSystem) {
        self.fs = fs
        facts = HostFiles(fs: fs)
    }

    public let kinds: Set<ChangeKind> = [.dkmsInstall, .dkmsRemove]

    /// A module build takes seconds to minutes; a kernel with many headers, longer.
    static let buildDeadline: Duration = .seconds(1800)

    var live: Bool { fs.root == "/" }

    public func state(of change: Change) throws -> ChangeState {
        switch change.value {
        case let install as DKMSInstallChange:
            let state = DKMSState.read(facts, module: install.module, version: install.version, kernel: install.kernel)
            return state.installed ? .after : .before
        case let remove as DKMSRemoveChange:
            let state = DKMSState.read(facts, module: remove.module, version: remove.version, kernel: remove.kernel)
            let there = (remove.all ? state.added || (remove.deleteSource.map(facts.exists) ?? false) : state.built || state.installed)
                || (remove.deleteConf.map(facts.exists) ?? false) || !leftovers(remove).isEmpty
            return there ? .before : .after
        default:
            throw HostError(.msg("inspect"), change.target, .wrongAdapter(applies: "DKMS modules"))
        }
    }

    public func precondition(of change: Change) -> Message? {
        guard change.as(DKMSInstallChange.self) != nil || change.as(DKMSRemoveChange.self) != nil else {
            return Refusal.wrongAdapter(applies: "DKMS modules").message
        }
        if let refusal = Self.nameRefusal(change) { return refusal.message }
        if !live { return Refusal.dkmsOnlyOnLiveHost.message }
        if Programs.locate("dkms") == nil { return .msg("dkms is not installed (not found in \(Programs.searchPath.joined(separator: ":")))") }
        if let install = change.as(DKMSInstallChange.self), let from = install.copyFrom, !facts.exists(install.source) {
            guard facts.exists(from + "/Makefile") || facts.exists(from + "/Kbuild") else { return .msg("\(from) holds no Makefile or Kbuild") }
        }
        return nil
    }

    /// Every name that reaches dkms' command line or a path ampfix copies to or deletes (a
    /// plan's, or a journal's on undo and recovery) is checked here, where all of them pass: a
    /// dkms.conf's PACKAGE_VERSION "../../../../srv/victim" once had a failed copy's cleanup
    /// delete /srv/victim, and "2.0 -k 1.2.3" reached dkms as options.
    static func nameRefusal(_ change: Change) -> Refusal? {
        let names: (module: String, version: String, kernel: String)
        var paths: [(String?, String)] = []
        if let install = change.as(DKMSInstallChange.self) {
            names = (install.module, install.version, install.kernel)
        } else if let remove = change.as(DKMSRemoveChange.self) {
            names = (remove.module, remove.version, remove.kernel)
            let source = "/usr/src/\(remove.module)-\(remove.version)"
            paths = [(remove.deleteSource, source), (remove.deleteConf, source + "/dkms.conf")]
        } else {
            return nil
        }
        if !ModuleSource.isValidModuleName(names.module) { return .notADKMSWord(kind: .msg("module name"), value: names.module) }
        if !ModuleSource.isValidVersion(names.version) { return .notADKMSWord(kind: .msg("version"), value: names.version) }
        if !ModuleSource.isValidKernelRelease(names.kernel) { return .notADKMSWord(kind: .msg("kernel release"), value: names.kernel) }
        for (given, expected) in paths where given != nil && given != expected {
            return .notADKMSWord(kind: .msg("path to delete"), value: given ?? "")
        }
        return nil
    }

    public func apply(_ change: Change) throws {
        if let refusal = Self.nameRefusal(change) { throw HostError(.msg("run dkms for"), change.target, refusal) }
        guard live else { throw HostError(.msg("run dkms for"), change.target, .dkmsOnlyOnLiveHost) }
        switch change.value {
        case let install as DKMSInstallChange: try apply(install)
        case let remove as DKMSRemoveChange: try apply(remove)
        default: throw HostError(.msg("apply"), change.target, .wrongAdapter(applies: "DKMS modules"))
        }
    }

    private func dkms(_ arguments: [String], deadline: Duration = Programs.defaultDeadline) throws {
        let result = try Programs.run("dkms", arguments, deadline: deadline)
        guard result.status == 0, result.timedOut == nil else { throw HostError(program: result) }
    }

    /// Copy (and dkms.conf), add, build, install; whatever fails, what this call made is taken
    /// back, so that a failed build leaves neither a DKMS entry nor a copy of the source.
    private func apply(_ install: DKMSInstallChange) throws {
        let (module, version, kernel) = (install.module, install.version, install.kernel)
        var copied = false, added = false
        do {
            if let from = install.copyFrom, !facts.exists(install.source) {
                try copySource(from, to: install.source, writeConf: install.writesConf, module: module, version: version)
                copied = true
            } else if install.writesConf, !facts.exists(install.source + "/dkms.conf") {
                try fs.replaceFile(install.source + "/dkms.conf", contents: Array(DKMSConf.text(module: module, version: version).utf8))
            }
            if !DKMSState.read(facts, module: module, version: version, kernel: kernel).added {
                try dkms(["add", "-m", module, "-v", version])
                added = true
            }
            do {
                try dkms(["build", "-m", module, "-v", version, "-k", kernel], deadline: Self.buildDeadline)
            } catch let error as HostError {
                throw HostError(.msg("build"), "\(module) \(version) for \(kernel) with DKMS", .said(buildLog(module, version: version, failure: error)))
            }
            try dkms(["install", "-m", module, "-v", version, "-k", kernel], deadline: Self.buildDeadline)
        } catch {
            // What the run owns: the registration and the copy the plan found absent (made by
            // this call, or by one of the same run that was killed and is now resumed).
            if added || (install.adds && DKMSState.read(facts, module: module, version: version, kernel: kernel).added) {
                _ = try? Programs.run("dkms", ["remove", "-m", module, "-v", version, "--all"])
            }
            if copied || (install.copyFrom != nil && facts.exists(install.source)) { try? fs.removeTree(install.source) }
            throw error
        }
    }

    private func apply(_ remove: DKMSRemoveChange) throws {
        let (module, version, kernel) = (remove.module, remove.version, remove.kernel)
        let state = DKMSState.read(facts, module: module, version: version, kernel: kernel)
        if remove.all {
            if state.added { try dkms(["remove", "-m", module, "-v", version, "--all"]) }
            if let source = remove.deleteSource, facts.exists(source) { try fs.removeTree(source) }
        } else {
            if state.installed { try dkms(["uninstall", "-m", module, "-v", version, "-k", kernel]) }
            if DKMSState.read(facts, module: module, version: version, kernel: kernel).built {
                try dkms(["unbuild", "-m", module, "-v", version, "-k", kernel])
            }
        }
        if let conf = remove.deleteConf, facts.exists(conf) { try fs.removeFile(conf) }
        if try !removeLeftovers(of: remove).isEmpty {
            let result = try Programs.run("depmod", [kernel])
            guard result.status == 0 else { throw HostError(program: result) }
        }
    }

    /// Deletes the module files of the install that `dkms remove` left (unchanged bytes), each
    /// where it really is inside the kernel's module directory (/lib is a link to usr/lib on a
    /// merged-/usr system; a link in the directory leading elsewhere is not followed); returns
    /// the paths deleted. The caller runs depmod.
    public func removeLeftovers(of remove: DKMSRemoveChange) throws -> [String] {
        guard let directory = try fs.resolve("/lib/modules/\(remove.kernel)") else { return [] }
        return try leftovers(remove).compactMap { path in
            // The directory resolved, the name itself not: a link is removed, not its target.
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            guard let parent = try fs.resolve(RootedFileSystem.parent(of: path)), (parent + "/").hasPrefix(directory + "/") else { return nil }
            try fs.removeFile(parent + "/" + name)
            return parent + "/" + name
        }
    }

    /// The module files of the install still in the kernel's tree with the bytes DKMS put
    /// there: what `dkms remove` failed to delete.
    func leftovers(_ remove: DKMSRemoveChange) -> [String] {
        (remove.installed ?? []).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1].hasPrefix("/lib/modules/\(remove.kernel)/"), !parts[1].split(separator: "/").contains(".."),
                  let bytes = try? facts.readBytes(parts[1]), MD5.hex(bytes) == parts[0] else { return nil }
            return parts[1]
        }
    }

    /// The module files the install put in the kernel's tree ("MD5 PATH"), where DKMS puts them
    /// (updates/dkms, or the dkms.conf's DEST_MODULE_LOCATION), read back just after it.
    public func record(of change: Change) -> [String]? {
        guard let install = change.as(DKMSInstallChange.self) else { return nil }
        let conf = (try? facts.readText(install.source + "/dkms.conf")).flatMap { $0 }.map(DKMSConf.init(text:))
        let locations = Set(["/updates/dkms"] + [conf?.destination].compactMap { $0 })
        return locations.sorted().flatMap { location -> [String] in
            let directory = "/lib/modules/\(install.kernel)" + location
            return (facts.list(directory) ?? []).filter { $0 == install.module + ".ko" || $0.hasPrefix(install.module + ".ko.") }.compactMap { name in
                (try? facts.readBytes(directory + "/" + name)).flatMap { $0 }.map { "\(MD5.hex($0)) \(directory)/\(name)" }
            }
        }
    }

    /// Copies the tree to a temporary name beside its destination (`cp -a`, links kept as
    /// links), writes ampfix's dkms.conf into it where the source has none, then renames it into
    /// place: /usr/src/MODULE-VERSION is either whole or absent.
    private func copySource(_ from: String, to destination: String, writeConf: Bool, module: String, version: String) throws {
        let parent = RootedFileSystem.parent(of: destination)
        let name = String(destination.dropFirst(parent.count).drop { $0 == "/" })
        let temporary = ".\(name).ampfix-copy"
        try fs.makeDirectories(parent, mode: 0o755)
        if facts.exists(parent + "/" + temporary) { try fs.removeTree(parent + "/" + temporary) }
        let result = try Programs.run("cp", ["-a", "--", fs.hostPath(from) + "/.", fs.hostPath(parent + "/" + temporary)])
        guard result.status == 0 else {
            try? fs.removeTree(parent + "/" + temporary)
            throw HostError(program: result)
        }
        if writeConf {
            try fs.replaceFile(parent + "/" + temporary + "/dkms.conf", contents: Array(DKMSConf.text(module: module, version: version).utf8))
        }
        try fs.rename(in: parent, temporary, to: name)
    }

    /// What a failed build said: make's first error and the last lines of DKMS's make.log
    /// (/var/lib/dkms/MODULE/VERSION/build/make.log), read before the entry is removed.
    func buildLog(_ module: String, version: String, failure: HostError) -> [String] {
        let log = "\(DKMSState.tree)/\(module)/\(version)/build/make.log"
        guard let bytes = try? facts.readTail(log, limit: 64 << 10) else { return [failure.description] }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { String($0).escapingControlCharacters() }
        var said: [String] = []
        if let first = lines.first(where: { $0.contains("error:") }) { said.append("make's first error: \(first)") }
        said.append("the end of \(log): " + lines.suffix(6).joined(separator: " | "))
        return said
    }
}
