// Command vault is a Vault server for the tests: Vault's own core (barrier, token store,
// policies, mounts), its HTTP API handler, the transit secrets engine and the JWT auth method,
// built from the pinned module. It is what `vault server -dev` runs, without the CLI and the
// other builtin plugins: Vault's full command tree compiles every secrets engine, database
// plugin and cloud SDK, which made Vault most of a first test run's build time. The
// transit and jwt code paths the tests exercise are Vault's unchanged.
//
// Usage mirrors the dev server's flags the tests use:
//
//	vault version
//	vault server -dev -dev-listen-address=127.0.0.1:PORT -dev-root-token-id=TOKEN [-dev-no-store-token]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	jwtauth "github.com/hashicorp/vault-plugin-auth-jwt"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/vault/builtin/logical/transit"
	vaulthttp "github.com/hashicorp/vault/http"
	"github.com/hashicorp/vault/helper/namespace"
	"github.com/hashicorp/vault/internalshared/configutil"
	"github.com/hashicorp/vault/sdk/helper/consts"
	"github.com/hashicorp/vault/sdk/logical"
	"github.com/hashicorp/vault/sdk/physical/inmem"
	"github.com/hashicorp/vault/vault"
	"github.com/hashicorp/vault/version"
)

func main() {
	if len(os.Args) >= 2 && os.Args[1] == "version" {
		fmt.Println(version.GetVersion().FullVersionNumber(true))
		return
	}
	if len(os.Args) < 3 || os.Args[1] != "server" {
		fmt.Fprintln(os.Stderr, "usage: vault version | vault server -dev -dev-listen-address=ADDR -dev-root-token-id=TOKEN")
		os.Exit(2)
	}
	flags := flag.NewFlagSet("server", flag.ExitOnError)
	flags.Bool("dev", true, "run in memory, initialised and unsealed (the only mode)")
	listen := flags.String("dev-listen-address", "127.0.0.1:8200", "address to listen on")
	rootToken := flags.String("dev-root-token-id", "", "the root token's ID")
	flags.Bool("dev-no-store-token", true, "never write ~/.vault-token (always so here)")
	if err := flags.Parse(os.Args[2:]); err != nil {
		os.Exit(2)
	}
	if err := serve(*listen, *rootToken); err != nil {
		fmt.Fprintln(os.Stderr, "vault:", err)
		os.Exit(1)
	}
}

// registry is the builtin-plugin catalog: exactly the two plugins the tests mount.
type registry struct{}

func (registry) factory(name string, t consts.PluginType) (logical.Factory, bool) {
	switch {
	case t == consts.PluginTypeSecrets && name == "transit":
		return transit.Factory, true
	case t == consts.PluginTypeCredential && name == "jwt":
		return jwtauth.Factory, true
	}
	return nil, false
}

func (r registry) Contains(name string, t consts.PluginType) bool {
	_, ok := r.factory(name, t)
	return ok
}

func (r registry) Get(name string, t consts.PluginType) (func() (interface{}, error), bool) {
	f, ok := r.factory(name, t)
	if !ok {
		return nil, false
	}
	return func() (interface{}, error) { return f, nil }, true
}

func (registry) Keys(t consts.PluginType) []string {
	switch t {
	case consts.PluginTypeSecrets:
		return []string{"transit"}
	case consts.PluginTypeCredential:
		return []string{"jwt"}
	}
	return nil
}

func (r registry) DeprecationStatus(name string, t consts.PluginType) (consts.DeprecationStatus, bool) {
	return consts.Supported, r.Contains(name, t)
}

func (registry) IsBuiltinEntPlugin(string, consts.PluginType) bool { return false }

func serve(listen, rootToken string) error {
	logger := hclog.New(&hclog.LoggerOptions{Name: "vault", Level: hclog.Info, Output: os.Stderr})
	physical, err := inmem.NewInmem(nil, logger)
	if err != nil {
		return err
	}
	coreConfig := &vault.CoreConfig{
		Physical:           physical,
		Logger:             logger,
		DisableMlock:       true,
		BuiltinRegistry:    registry{},
		LogicalBackends:    map[string]logical.Factory{"transit": transit.Factory},
		CredentialBackends: map[string]logical.Factory{"jwt": jwtauth.Factory},
		DevToken:           rootToken,
	}
	core, err := vault.NewCore(coreConfig)
	if err != nil {
		return fmt.Errorf("creating the core: %w", err)
	}
	if err := initDev(core, rootToken); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(listen)
	handler := vaulthttp.Handler.Handler(&vault.HandlerProperties{
		Core:           core,
		ListenerConfig: &configutil.Listener{Type: "tcp", Address: host},
	})
	server := &http.Server{Handler: handler}
	go func() {
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
		<-signals
		_ = server.Close()
	}()
	logger.Info("Vault server started! Log data will stream in below:", "address", listen)
	if err := server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return core.Shutdown()
}

// initDev is the dev server's start: one unseal key, unseal, and a root token with the given
// ID in place of the generated one (as `vault server -dev -dev-root-token-id` does).
func initDev(core *vault.Core, rootToken string) error {
	ctx := namespace.ContextWithNamespace(context.Background(), namespace.RootNamespace)
	init, err := core.Initialize(ctx, &vault.InitParams{
		BarrierConfig: &vault.SealConfig{SecretShares: 1, SecretThreshold: 1, Name: "shamir"},
	})
	if err != nil {
		return fmt.Errorf("initialising: %w", err)
	}
	key := append([]byte(nil), init.SecretShares[0]...)
	if unsealed, err := core.Unseal(key); err != nil || !unsealed {
		return fmt.Errorf("unsealing: %v", err)
	}
	if rootToken == "" {
		fmt.Fprintln(os.Stderr, "Root Token:", init.RootToken)
		return nil
	}
	req := &logical.Request{
		Operation:   logical.UpdateOperation,
		ClientToken: init.RootToken,
		Path:        "auth/token/create",
		Data: map[string]interface{}{
			"id":                rootToken,
			"policies":          []string{"root"},
			"no_parent":         true,
			"no_default_policy": true,
		},
	}
	resp, err := core.HandleRequest(ctx, req)
	if err != nil || resp == nil || resp.Auth == nil {
		return fmt.Errorf("creating the root token: %v", err)
	}
	req.Path, req.Data = "auth/token/revoke-self", nil
	if _, err := core.HandleRequest(ctx, req); err != nil {
		return fmt.Errorf("revoking the initial root token: %w", err)
	}
	return nil
}
