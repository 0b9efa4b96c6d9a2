package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newWhatProvidesCmd) }

func newWhatProvidesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "whatprovides CAP",
		Short: "List the packages that provide a capability (a name, a soname or a file path)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.ProvidesResult, client.Meta, error) {
				r, err := c.WhatProvides(cmd.Context(), args[0])
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
}
