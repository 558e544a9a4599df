/// Several appliers, each applying the kinds of change it lists (files and accounts, SELinux,
/// kernel modules). Every change goes to the one adapter that claims its kind.
public struct ChangeRouter: ChangeApplier {
    private let routes: [ChangeKind: any ChangeApplier]

    public struct Conflict: Error, CustomStringConvertible {
        public var kind: ChangeKind
        public var description: String { "two adapters claim changes of kind \(kind.rawValue)" }
    }

    /// A change of a kind no adapter claims: planned, it could never be applied.
    public struct Unrouted: Error, Equatable, CustomStringConvertible {
        public var kind: ChangeKind
        public init(kind: ChangeKind) { self.kind = kind }
        public var description: String { "no adapter applies changes of kind \(kind.rawValue)" }
    }

    public init(_ appliers: [any ChangeApplier]) throws {
        var routes: [ChangeKind: any ChangeApplier] = [:]
        for applier in appliers {
            for kind in applier.kinds {
                guard routes[kind] == nil else { throw Conflict(kind: kind) }
                routes[kind] = applier
            }
        }
        self.routes = routes
    }

    public var kinds: Set<ChangeKind> { Set(routes.keys) }

    /// The kinds no adapter claims: a change of one of them could be planned but never applied.
    public var unclaimed: [ChangeKind] { ChangeKind.allCases.filter { routes[$0] == nil } }

    /// The same adapters, seen only as inspectors: what dry-run gets.
    public var inspector: any ChangeInspector { RoutedInspector(router: self) }

    private func applier(for change: Change) throws -> any ChangeApplier {
        guard let applier = routes[change.kind] else { throw Unrouted(kind: change.kind) }
        return applier
    }

    public func state(of change: Change) throws -> ChangeState { try applier(for: change).state(of: change) }
    public func precondition(of change: Change) -> Message? {
        do { return try applier(for: change).precondition(of: change) } catch { return .of(error) }
    }
    public func apply(_ change: Change) throws { try applier(for: change).apply(change) }
    public func finishInterrupted(_ change: Change) throws -> Message? { try applier(for: change).finishInterrupted(change) }
    public func record(of change: Change) -> [String]? { (try? applier(for: change))?.record(of: change) }
}

/// A router that can only look: it has no `apply`, so what holds one cannot change the host.
private struct RoutedInspector: ChangeInspector {
    let router: ChangeRouter
    func state(of change: Change) throws -> ChangeState { try router.state(of: change) }
    func precondition(of change: Change) -> Message? { router.precondition(of: change) }
}
