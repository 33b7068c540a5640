// Command kubectl is upstream's cmd/kubectl main, built from the same pinned release as the
// apiserver so the tests never see client/server version skew.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

func main() {
	// Verbosity must be set before the command is built, because building it already logs
	// (plugin handling, .kuberc parsing); cli.RunNoErrOutput parses flags only later.
	logs.GlogSetter(cmd.GetLogVerbosity(os.Args)) // nolint:errcheck
	if err := cli.RunNoErrOutput(cmd.NewDefaultKubectlCommand()); err != nil {
		util.CheckErr(err)
	}
}
