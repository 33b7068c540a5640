// Command vault is HashiCorp Vault's CLI and server, built from the pinned module for the tests.
package main

import (
	"os"

	"github.com/hashicorp/vault/command"
)

func main() {
	os.Exit(command.Run(os.Args[1:]))
}
