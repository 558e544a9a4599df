import AmpfixCore
import AmpfixSystem
import CKmod
import Glibc

/// Loads and reloads kernel modules through libkmod (live host only), with ampfix's kept copy
/// of each build it loads as the fallback of a reload. A separate type from the facts
/// (`KmodModules`), so that what the checks hold cannot be cast to an applier.
public struct KmodChanges: ChangeApplier {
    let modules: KmodModules

    public init(_ modules: KmodModules) {
        self.modules = modules
    }

    public let kinds: Set<ChangeKind> = [.loadKernelModule, .reloadKernelModule, .unloadKernelModule]

    public func state(of change: Change) throws -> ChangeState {
        switch change.value {
        case let load as LoadKernelModuleChange:
            let name = load.name
            switch modules.loadState(name) {
            case .loaded, .builtin: return .after
            case .notLoaded: return .before
            case .unknown(let why): return .other(why)
            case .lookupFailed(let why): throw HostError(.msg("inspect"), name, .moduleStateUnreadable(why))
            }
        case let reload as ReloadKernelModuleChange:
            let (name, loaded, file) = (reload.name, reload.loaded, reload.file)
            guard modules.live else { return .other(.msg("no kernel runs the tree under --root \(modules.fs.root)")) }
            guard let now = try loadedSrcversion(name) else { return .other(.msg("\(name) is not loaded")) }
            if now == file { return .after }
            if now == loaded { return .before }
            return .other(.msg("the loaded build's srcversion is \(now)"))
        case let unload as UnloadKernelModuleChange:
            guard modules.live else { return .other(.msg("no kernel runs the tree under --root \(modules.fs.root)")) }
            return try isLoaded(unload.name) ? .before : .after
        default:
            throw HostError(.msg("inspect"), change.target, .wrongAdapter(applies: "kernel modules"))
        }
    }

    public func precondition(of change: Change) -> Message? {
        let name: String, kernel: String
        let reload = change.as(ReloadKernelModuleChange.self)
        if let unload = change.as(UnloadKernelModuleChange.self) {
            if !modules.live { return Refusal.modulesOnlyOnLiveHost.message }
            do { return try users(of: unload.name, kernel: KmodModules.runningRelease)?.message } catch { return .of(error) }
        }
        if let reload {
            (name, kernel) = (reload.name, reload.kernel)
        } else if let load = change.as(LoadKernelModuleChange.self) {
            (name, kernel) = (load.name, load.kernel)
        } else {
            return Refusal.wrongAdapter(applies: "kernel modules").message
        }
        if !modules.live { return Refusal.modulesOnlyOnLiveHost.message }
        if geteuid() != 0 { return .msg("loading a module needs root (running as uid \(geteuid()))") }
        do {
            if let reload {
                // No dry-run probe: libkmod answers it for a loaded module without resolving anything.
                return try reloadBlocker(name, kernel: kernel, loaded: reload.loaded, file: reload.file, fallback: reload.fallback)?.message
            }
            // A module the same run builds first (DKMS) is not in the index yet: nothing to probe.
            if change.as(LoadKernelModuleChange.self)?.built == true, try modules.module(name, kernel: kernel) == nil { return nil }
            try modules.probe(name, kernel: kernel, dryRun: true)
        } catch {
            return .of(error)
        }
        return nil
    }

    public func apply(_ change: Change) throws {
        guard modules.live else {
            throw HostError(.msg("load"), "\(change.target) under --root \(modules.fs.root)", .modulesOnlyOnLiveHost)
        }
        switch change.value {
        case let load as LoadKernelModuleChange:
            let (name, kernel) = (load.name, load.kernel)
            // The copy first: should this build ever be replaced on disk while loaded, it is what
            // a reload could load back.
            let copy = try modules.keepCopy(name, kernel: kernel)
            do {
                try modules.probe(name, kernel: kernel, dryRun: false)
            } catch {
                // A build that never loaded is nobody's fallback.
                if let copy { try? modules.fs.removeFile(copy) }
                throw error
            }
        case let change as ReloadKernelModuleChange:
            let (name, kernel, loaded, file, fallback) = (change.name, change.kernel, change.loaded, change.file, change.fallback)
            if let why = try reloadBlocker(name, kernel: kernel, loaded: loaded, file: file, fallback: fallback) {
                throw HostError(.msg("reload"), "kernel module \(name)", why)
            }
            try reload(name, kernel: kernel, file: file, fallback: fallback)
        case let unload as UnloadKernelModuleChange:
            try self.unload(unload.name)
        default:
            throw HostError(.msg("apply"), change.target, .wrongAdapter(applies: "kernel modules"))
        }
    }

    /// A reload killed between its unload and its load leaves the module unloaded: the file's
    /// build is loaded, or when it fails the kept one, so that the step's state can be read.
    public func finishInterrupted(_ change: Change) throws -> Message? {
        guard let reload = change.as(ReloadKernelModuleChange.self), modules.live, try loadedSrcversion(reload.name) == nil else { return nil }
        let (name, kernel, fallback) = (reload.name, reload.kernel, reload.fallback)
        do {
            try modules.probe(name, kernel: kernel, dryRun: false)
            try? modules.fs.removeFile(fallback)  // as after a reload that was not interrupted
            return .msg("\(name) was not loaded after the interruption: loaded the file's build")
        } catch {
            try insert(fallback, kernel: kernel)
            return .msg("\(name) was not loaded after the interruption and the file's build failed (\(error)): loaded \(fallback) back")
        }
    }

    /// Whether the running kernel holds `name` (/sys/module/NAME/initstate: loaded modules only).
    func isLoaded(_ name: String) throws -> Bool {
        guard KeptModuleBuilds.isValid(name: name) else { throw HostError(.msg("inspect"), "'\(name)'", .notAModuleName) }
        return try modules.fs.readFile("/sys/module/\(name)/initstate") != nil
    }

    /// Unloads `name` by its name (the index need not list it any more), as rmmod does.
    func unload(_ name: String) throws {
        if let users = try users(of: name, kernel: KmodModules.runningRelease) { throw HostError(.msg("unload"), name, users) }
        let directory = try modules.moduleDirectory(KmodModules.runningRelease) ?? "/"
        try modules.withContext(directory: directory, kernel: KmodModules.runningRelease) { context in
            var module: OpaquePointer?
            let created = kmod_module_new_from_name(context, name, &module)
            guard created >= 0, let module else { throw HostError(.msg("unload"), name, returned: created < 0 ? created : -ENOENT) }
            defer { kmod_module_unref(module) }
            let removed = kmod_module_remove_module(module, UInt32(KMOD_REMOVE_NOWAIT.rawValue))
            if removed < 0 { throw HostError(.msg("unload"), name, returned: removed) }
        }
    }

    /// Loads the module file at `path` (a kept copy) on its own, as insmod does.
    func insert(_ path: String, kernel: String) throws {
        try modules.withFile(path, kernel: kernel) { module in
            let result = kmod_module_insert_module(module, 0, nil)
            if result < 0 { throw HostError(.msg("load"), path, returned: result) }
        }
    }

    // MARK: Reload

    /// The srcversion of the build of `name` the running kernel holds, or nil when none is loaded.
    func loadedSrcversion(_ name: String) throws -> String? {
        guard KeptModuleBuilds.isValid(name: name) else {
            throw HostError(.msg("inspect"), "'\(name)'", .notAModuleName)
        }
        return try modules.fs.readFile("/sys/module/\(name)/srcversion").map { String(decoding: $0, as: UTF8.self).trimming() }
    }

    /// Why the reload cannot start, or nil: the module must still be the planned stale build and
    /// unused, the file the planned new build, and the kept copy the loaded build.
    func reloadBlocker(_ name: String, kernel: String, loaded: String, file: String, fallback: String) throws -> Refusal? {
        let now = try loadedSrcversion(name)
        guard now == loaded else { return .loadedBuildChanged(now: now, planned: loaded) }
        let onDisk = try modules.module(name, kernel: kernel)?.srcversion
        guard onDisk == file else { return .fileBuildChanged(now: onDisk, planned: file) }
        let kept = try modules.srcversion(ofFileIfPresent: fallback, kernel: kernel)
        guard kept == loaded else {
            return kept.map { .keptCopyDiffers(path: fallback, kept: $0, loaded: loaded) } ?? .keptCopyGone(path: fallback)
        }
        return try users(of: name, kernel: kernel)
    }

    /// What keeps `name` from being unloaded (modules that use it, open references), or nil.
    func users(of name: String, kernel: String) throws -> Refusal? {
        try modules.withModule(name, kernel: kernel) { module -> Refusal? in
            let holders = kmod_module_get_holders(module)
            defer { kmod_module_unref_list(holders) }
            var names: [String] = []
            var entry = holders
            while let current = entry {
                if let holder = kmod_module_get_module(current) {
                    names.append(String(cString: kmod_module_get_name(holder)))
                    kmod_module_unref(holder)
                }
                entry = kmod_list_next(holders, current)
            }
            if !names.isEmpty { return .moduleUsedBy(module: name, users: names) }
            let references = kmod_module_get_refcnt(module)
            if references > 0 { return .moduleReferenced(module: name, references: Int(references)) }
            return nil
        } ?? nil
    }

    /// Unloads the loaded build, loads the file's and checks the kernel now holds `file`. When
    /// the new build fails to load, the kept copy `fallback` is loaded back and the kernel's
    /// errno and messages are thrown.
    func reload(_ name: String, kernel: String, file: String, fallback: String) throws {
        guard let onDisk = try modules.module(name, kernel: kernel) else {
            throw HostError(.msg("load"), name, .notInModuleIndex(kernel: kernel))
        }
        // The new build's copy first, as for a load: it is the fallback of the next reload. The
        // old build's copy labelled as a module before anything is unloaded.
        let kept = try modules.keepCopy(of: onDisk, kernel: kernel)
        try modules.label(fallback, like: onDisk.path)
        _ = try modules.withModule(name, kernel: kernel) { module in
            // A copy of a build that never loaded is nobody's fallback.
            func dropNewCopy() { if let kept, kept != fallback { try? modules.fs.removeFile(kept) } }
            let removed = kmod_module_remove_module(module, UInt32(KMOD_REMOVE_NOWAIT.rawValue))
            guard removed >= 0 else {
                dropNewCopy()
                throw HostError(.msg("unload"), name, returned: removed)
            }
            let messages = KernelMessages.follow()
            let inserted = kmod_module_probe_insert_module(module, 0, nil, nil, nil, nil)
            guard inserted < 0 else { return }
            let said = messages?.read() ?? []
            dropNewCopy()
            var restored: String?
            do { try insert(fallback, kernel: kernel) } catch { restored = "\(error)" }
            throw HostError(.msg("load"), name, .moduleReload(ModuleReloadFailure(name: name, file: file, errno: -inserted, kernelSaid: said,
                                                                                   fallback: fallback, restored: restored,
                                                                                   loadedNow: try? loadedSrcversion(name))))
        }
        let now = try loadedSrcversion(name)
        guard now == file else {
            throw HostError(.msg("verify"), "kernel module \(name)", .kernelHoldsOtherBuild(now: now, expected: file))
        }
        // The previous build is no longer loaded: its copy is no fallback any more.
        if fallback != kept { try? modules.fs.removeFile(fallback) }
    }
}
